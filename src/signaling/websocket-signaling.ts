/**
 * Signaling through the reference server (or any server speaking protocol.ts) over one WebSocket.
 * The socket may drop mid-call without ending the call: the adapter reconnects with jittered backoff and rejoins
 * as the same participant, while media keeps flowing peer to peer.
 *
 * A socket can also die without closing: when this device's address changes (another network, a new lease), the
 * old connection looks open for minutes while nothing gets through, and the page cannot see the WebSocket pings
 * that would tell. So the adapter asks the server for a `pong` now and then, and at once when the session says the
 * network may have changed; a socket that does not answer in time is replaced by a new one.
 *
 * A socket opened again after the call was joined that has not opened within EXTRA_TRY_MS gets another one beside
 * it, and so on up to MAX_TRIES, and the first of them to open is kept: a TCP handshake that left while the network
 * it needs was not up yet (a link coming up) is sent again only after a second, then after two more.
 */
import { ErrorCode, type ErrorDetail } from '../errors.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { Listeners } from './listeners.js';
import { CLOSE_REPLACED, PROTOCOL_VERSION, ServerErrorCode, parseServerFrame, type ClientFrame } from './protocol.js';
import type { JoinRequest, SignalingAdapter, SignalingListener, SignalPayload } from './signaling-adapter.js';

export interface WebSocketSignalingOptions {
  backoff?: BackoffPolicy;
  /** Connection attempts before the first join gives up with `signaling-unavailable`. */
  attemptsBeforeJoined?: number;
}

/**
 * Signals that cannot be delivered yet wait here (bounded): written while the socket is down, or addressed to a
 * peer that is not (back) in the room yet — after a server restart the two rejoin one after the other, and the
 * server refuses a signal to someone it does not seat. Ids let the peer drop any duplicate.
 */
const MAX_QUEUED = 256;
/** While joined, the server is asked for a `pong` this often; unanswered within the wait, the socket is replaced. */
export const HEARTBEAT_MS = 20_000;
export const HEARTBEAT_WAIT_MS = 5_000;
/**
 * The wait for an answer when the network may have changed (checkConnection): three round trips as the last join
 * measured them, and at least this. Replacing a socket that was only slow costs a rejoin; waiting on a dead one
 * delays the call's recovery.
 */
export const CHECK_WAIT_MS = 250;
/**
 * How long a socket opened again mid-call may stay connecting before another one is opened beside it. In the network
 * lab a link change's new socket opened 1.0 s after the change in most runs and 2.0 s in some, its SYNs lost for up to
 * ~1.5 s after the link came up; the media path was back before the signaling.
 */
export const EXTRA_TRY_MS = 400;
/** Sockets a reconnect mid-call may have connecting at once (the first try and those beside it). */
export const MAX_TRIES = 3;

export class WebSocketSignaling implements SignalingAdapter {
  readonly #listeners = new Listeners();
  readonly #backoff: BackoffPolicy;
  readonly #attemptsBeforeJoined: number;
  #socket?: WebSocket;
  /** Sockets opened beside a reconnecting one that is slow to open (EXTRA_TRY_MS); the first to open is kept. */
  readonly #extraTries = new Set<WebSocket>();
  #extraTryTimer?: ReturnType<typeof setTimeout>;
  #request?: JoinRequest;
  #joinedOnce = false;
  #joined = false;
  #attempt = 0;
  #retryTimer?: ReturnType<typeof setTimeout>;
  #queue: Extract<ClientFrame, { type: 'signal' }>[] = [];
  #heartbeat?: ReturnType<typeof setInterval>;
  /**
   * Set while a `ping` awaits its answer; replaces the socket when it fires. Signals wait in the queue meanwhile:
   * written to a dead socket, they would be lost.
   */
  #answerTimer?: ReturnType<typeof setTimeout>;
  /** Whether this server ever answered a `ping` (one that ignores them is never judged by its silence). */
  #answersPings = false;
  #joinSentAt = 0;
  #roundTripMs = 0;
  /** The other members the server has seated, as far as this socket knows. */
  readonly #present = new Set<string>();

  constructor(
    readonly url: string,
    options: WebSocketSignalingOptions = {},
  ) {
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#attemptsBeforeJoined = options.attemptsBeforeJoined ?? 4;
  }

  join(request: JoinRequest): void {
    this.#request = request;
    this.#joinedOnce = false;
    this.#attempt = 0;
    this.#connect();
  }

  send(to: string, id: string, payload: SignalPayload): void {
    const frame = { v: PROTOCOL_VERSION, type: 'signal', to, id, payload } as const;
    if (this.#canDeliver(to)) this.#socket!.send(JSON.stringify(frame));
    else if (this.#queue.length < MAX_QUEUED) this.#queue.push(frame);
  }

  leave(): void {
    const socket = this.#socket;
    this.#request = undefined;
    this.#stop();
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'leave' }));
    socket?.close(1000, 'leave');
  }

  subscribe(listener: SignalingListener): () => void {
    return this.#listeners.subscribe(listener);
  }

  /**
   * The network may have changed: a reconnect waiting out its backoff goes now; a joined socket must answer at once
   * (a check already running keeps its deadline).
   */
  checkConnection(): void {
    if (this.#retryTimer !== undefined) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      this.#connect();
    } else if (this.#joined && this.#answerTimer === undefined) {
      this.#ping(Math.max(CHECK_WAIT_MS, 3 * this.#roundTripMs), true);
    }
  }

  /**
   * Asks for a `pong`; without any answer within `waitMs` the socket is replaced. Unless `always`, a server that never
   * answered a ping is not waited for.
   */
  #ping(waitMs: number, always: boolean): void {
    const socket = this.#socket!; // open: called while joined only
    socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'ping' } satisfies ClientFrame));
    if (!always && !this.#answersPings) return;
    clearTimeout(this.#answerTimer);
    this.#answerTimer = setTimeout(() => this.#reconnectNow(socket), waitMs);
  }

  /** Any frame from the server shows the socket works. */
  #answered(): void {
    if (this.#answerTimer === undefined) return;
    clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
    this.#flushQueue();
  }

  /** Gives up on a socket that stopped answering and opens a new one at once (its close may take minutes). */
  #reconnectNow(socket: WebSocket): void {
    if (socket !== this.#socket) return;
    quietlyClose(socket);
    this.#handleClose(socket, 1006, 0);
  }

  #connect(): void {
    const socket = this.#openSocket();
    if (!socket) return;
    this.#socket = socket;
    if (this.#joinedOnce) this.#tryBesideLater();
  }

  /** Another try beside the connecting socket, EXTRA_TRY_MS from now, while none has opened. */
  #tryBesideLater(): void {
    clearTimeout(this.#extraTryTimer);
    this.#extraTryTimer = setTimeout(() => {
      this.#extraTryTimer = undefined;
      const connecting = this.#socket?.readyState === WebSocket.CONNECTING;
      if (!connecting || !this.#request || this.#extraTries.size + 1 >= MAX_TRIES) return;
      const socket = this.#openSocket();
      if (!socket) return;
      this.#extraTries.add(socket);
      this.#tryBesideLater();
    }, EXTRA_TRY_MS);
  }

  /** A new socket with its handlers; undefined (and a fatal error) when the URL is not a WebSocket URL. */
  #openSocket(): WebSocket | undefined {
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#urlFor(this.#request));
    } catch {
      this.#fail({
        code: ErrorCode.InvalidConfig,
        message: `The signaling URL "${this.url}" is not a valid WebSocket URL.`,
        recoverable: false,
      });
      return undefined;
    }
    socket.onopen = () => {
      const request = this.#request;
      if (!request) return;
      this.#keepOpened(socket);
      this.#joinSentAt = performance.now();
      socket.send(
        JSON.stringify({
          v: PROTOCOL_VERSION,
          type: 'join',
          room: request.room,
          peer: request.peerId,
          name: request.name,
          ...(request.token ? { token: request.token } : {}),
        } satisfies ClientFrame),
      );
    };
    socket.onmessage = (event: MessageEvent) => this.#handleFrame(event.data);
    socket.onclose = (event: CloseEvent) => {
      if (this.#extraTries.delete(socket)) return;
      // The first try failed while another may still open: that one carries on.
      const [next] = this.#extraTries;
      if (socket === this.#socket && next && !this.#joined) {
        this.#extraTries.delete(next);
        this.#socket = next;
        return;
      }
      this.#handleClose(socket, event.code);
    };
    return socket;
  }

  /** Of a reconnect's tries, the first to open is kept, and the others closed before they join. */
  #keepOpened(socket: WebSocket): void {
    this.#dropExtraTries(socket);
    if (this.#socket && this.#socket !== socket) quietlyClose(this.#socket);
    this.#socket = socket;
  }

  #dropExtraTries(keep?: WebSocket): void {
    clearTimeout(this.#extraTryTimer);
    this.#extraTryTimer = undefined;
    for (const socket of this.#extraTries) if (socket !== keep) quietlyClose(socket);
    this.#extraTries.clear();
  }

  /** Browsers cannot set headers on a WebSocket: the join token travels as a query parameter of the upgrade. */
  #urlFor(request: JoinRequest | undefined): string {
    if (!request?.token) return this.url;
    const url = new URL(this.url);
    url.searchParams.set('token', request.token);
    return url.href;
  }

  #handleFrame(data: unknown): void {
    let json: unknown;
    try {
      json = typeof data === 'string' ? JSON.parse(data) : undefined;
    } catch {
      json = undefined;
    }
    this.#answered();
    const frame = parseServerFrame(json);
    if (!frame) {
      this.#emitError({
        code: ErrorCode.BadMessage,
        message: 'The signaling server sent a malformed frame.',
        recoverable: true,
      });
      return;
    }
    switch (frame.type) {
      case 'joined': {
        const restored = this.#joinedOnce;
        this.#roundTripMs = performance.now() - this.#joinSentAt;
        this.#heartbeat ??= setInterval(() => {
          if (this.#joined && this.#answerTimer === undefined) this.#ping(HEARTBEAT_WAIT_MS, false);
        }, HEARTBEAT_MS);
        this.#joined = this.#joinedOnce = true;
        this.#attempt = 0;
        this.#present.clear();
        for (const peer of frame.peers) this.#present.add(peer.id);
        this.#flushQueue();
        if (restored) this.#listeners.emit({ type: 'connection', status: 'restored' });
        this.#listeners.emit({ type: 'joined', self: frame.self, peers: frame.peers, iceServers: frame.iceServers });
        return;
      }
      case 'peer-joined':
        this.#present.add(frame.peer.id);
        this.#flushQueue();
        this.#listeners.emit({ type: 'peer-joined', peer: frame.peer });
        return;
      case 'peer-left':
        this.#present.delete(frame.peer);
        this.#listeners.emit({ type: 'peer-left', peerId: frame.peer });
        return;
      case 'signal':
        this.#listeners.emit({ type: 'signal', from: frame.from, id: frame.id, payload: frame.payload });
        return;
      case 'pong':
        this.#answersPings = true;
        return;
      case 'error':
        this.#handleServerError(frame.code, frame.message);
        return;
    }
  }

  #handleServerError(code: string, message: string): void {
    if (code === ServerErrorCode.RoomFull) {
      this.#fail({ code: ErrorCode.RoomFull, message: 'This room already has two people in it.', recoverable: false });
    } else if (code === ServerErrorCode.UnknownPeer) {
      // A signal to someone who just left (a recovery racing the `peer-left`): the session learns of it from that.
      return;
    } else if (code === ServerErrorCode.ServerFull) {
      this.#fail({
        code: ErrorCode.SignalingUnavailable,
        message: 'The signaling server is at capacity; try again in a while.',
        recoverable: false,
      });
    } else if (code === ServerErrorCode.Unauthorized) {
      this.#fail({
        code: ErrorCode.SignalingRejected,
        message: `The signaling server refused to join: ${message}`,
        recoverable: false,
      });
    } else {
      this.#emitError({
        code: ErrorCode.SignalingRejected,
        message: `Signaling server: ${message} (${code})`,
        recoverable: true,
      });
    }
  }

  #handleClose(socket: WebSocket, code: number, delayMs?: number): void {
    if (socket !== this.#socket || !this.#request) return; // we closed it on purpose
    // A check that ends in a close found the socket broken, as much as one that timed out: reconnect at once.
    if (this.#answerTimer !== undefined) delayMs = 0;
    clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
    if (code === CLOSE_REPLACED) {
      // The same participant joined from another tab or device; this one must not fight for the seat.
      this.#fail({
        code: ErrorCode.SignalingRejected,
        message: 'This call was opened somewhere else.',
        recoverable: false,
      });
      return;
    }
    const wasJoined = this.#joined;
    this.#joined = false;
    this.#socket = undefined;
    if (wasJoined) this.#listeners.emit({ type: 'connection', status: 'lost' });
    if (!this.#joinedOnce && this.#attempt + 1 >= this.#attemptsBeforeJoined) {
      this.#fail({
        code: ErrorCode.SignalingUnavailable,
        // A browser cannot read why an upgrade was refused (401 token, 403 origin): say what the causes can be.
        message: `Could not connect to the signaling server at ${this.url}: it is unreachable, or it refused this join (check the join token and that this page's origin is allowed).`,
        recoverable: false,
      });
      return;
    }
    this.#retryTimer = setTimeout(
      () => {
        this.#retryTimer = undefined;
        if (this.#request) this.#connect();
      },
      delayMs ?? backoffDelay(this.#attempt++, this.#backoff),
    );
  }

  #canDeliver(to: string): boolean {
    const open = this.#joined && this.#socket?.readyState === WebSocket.OPEN;
    return open && this.#answerTimer === undefined && this.#present.has(to);
  }

  /** Sends, in order, every waiting signal whose addressee is seated now; the others keep waiting. */
  #flushQueue(): void {
    const waiting = this.#queue;
    this.#queue = [];
    for (const frame of waiting) {
      if (this.#canDeliver(frame.to)) this.#socket!.send(JSON.stringify(frame));
      else this.#queue.push(frame);
    }
  }

  /** A fatal error: report it and stop reconnecting. */
  #fail(detail: ErrorDetail): void {
    const socket = this.#socket;
    this.#request = undefined;
    this.#stop();
    socket?.close(1000, 'failed');
    this.#emitError(detail);
  }

  #stop(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    clearTimeout(this.#answerTimer);
    this.#answerTimer = undefined;
    this.#joined = false;
    this.#queue = [];
    this.#present.clear();
    this.#dropExtraTries();
    if (this.#socket) detach(this.#socket);
    this.#socket = undefined;
  }

  #emitError(detail: ErrorDetail): void {
    this.#listeners.emit({ type: 'error', ...detail });
  }
}

/** Stops listening to a socket: nothing it does afterwards reaches the adapter. */
function detach(socket: WebSocket): void {
  socket.onopen = socket.onmessage = socket.onclose = null;
}

/** Closes a socket this adapter no longer wants, without its handlers running. */
function quietlyClose(socket: WebSocket): void {
  detach(socket);
  socket.close();
}
