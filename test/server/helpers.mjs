// Shared helpers for the Node-side server tests: a real server on a free loopback port, real `ws` clients, and a
// frame queue so a test can wait for "the next frame of this kind" without racing the socket.
import { WebSocket } from 'ws';
import { startSignalingServer } from '../../dist/server/index.js';

/** A logger that keeps every line it is given, serialised the way the JSON logger would write it. */
export function captureLogger() {
  const lines = [];
  const log = (event, fields = {}) => lines.push(JSON.stringify({ event, ...fields }));
  return { log, lines };
}

/** Starts an open-mode server on 127.0.0.1:0, capturing its log; extra options override the defaults. */
export async function startServer(options = {}) {
  const logger = captureLogger();
  const server = await startSignalingServer({ port: 0, host: '127.0.0.1', open: true, log: logger.log, ...options });
  return { server, lines: logger.lines };
}

export class TestClient {
  /** @type {unknown[]} */
  #frames = [];
  #waiters = new Set();

  constructor(socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      let frame;
      try {
        frame = isBinary ? { binary: true } : JSON.parse(data.toString());
      } catch {
        frame = { unparsable: data.toString() };
      }
      this.#frames.push(frame);
      for (const waiter of this.#waiters) waiter();
    });
  }

  get isOpen() {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends an object as JSON, or a string / Buffer as it is. */
  send(frame) {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** Resolves with (and consumes) the first frame, queued or future, that matches. */
  next(match = () => true, timeoutMs = 5000) {
    const predicate = typeof match === 'string' ? (frame) => frame.type === match : match;
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.#frames.findIndex(predicate);
        if (index === -1) return false;
        const [frame] = this.#frames.splice(index, 1);
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(frame);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`No matching frame within ${timeoutMs} ms; queued: ${JSON.stringify(this.#frames)}`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(check);
    });
  }

  /** The frames received and not yet consumed. */
  pending() {
    return [...this.#frames];
  }

  async join(room, peer, extra = {}) {
    this.send({ v: 1, type: 'join', room, peer, name: peer.toUpperCase(), ...extra });
    return this.next((frame) => frame.type === 'joined' || frame.type === 'error');
  }

  close(code = 1000) {
    this.socket.close(code);
    return this.closed;
  }

  terminate() {
    this.socket.terminate();
    return this.closed;
  }
}

/** Opens a client and waits for the upgrade; rejects with the HTTP status if the server refuses it. */
export function connect(url, options = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => {
      const error = new Error(`upgrade refused: ${response.statusCode}`);
      error.status = response.statusCode;
      response.resume();
      socket.terminate();
      reject(error);
    });
    socket.once('error', reject);
  });
}

/** Connects and joins; returns the client and its `joined` frame. */
export async function joined(url, room, peer, extra = {}) {
  const client = await connect(url);
  const frame = await client.join(room, peer, extra);
  if (frame.type !== 'joined') throw new Error(`join refused: ${JSON.stringify(frame)}`);
  return client;
}

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until check() is truthy or the time runs out. */
export async function eventually(check, timeoutMs = 5000, message = 'condition not met') {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(message);
    await delay(10);
  }
}

/** A realistic-looking offer: the kind of content that must never reach a log line. */
export const OFFER = {
  type: 'offer',
  sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 192.0.2.10\r\na=fingerprint:sha-256 AB:CD:EF:01\r\na=ice-pwd:secretIcePassword\r\n',
};
export const CANDIDATE = {
  type: 'candidate',
  candidate: { candidate: 'candidate:842163049 1 udp 1677729535 198.51.100.7 61234 typ srflx', sdpMid: '0' },
};
