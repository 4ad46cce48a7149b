/**
 * One browser's WebSocket: rate-limits, parses and validates every frame, joins one room, relays signals to the
 * other member. A bad frame is answered with an error frame; nothing a client sends can throw out of here.
 *
 * Room operations go through the directory, which may be Redis and therefore asynchronous: the valid frames of one
 * socket are handled strictly one after another, so a signal sent right after a join never overtakes it.
 */
import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import * as v from 'valibot';
import { CLOSE_REPLACED, PROTOCOL_VERSION, ServerErrorCode, type ClientFrame, type ServerFrame } from 'p2p-call/protocol';
import { ClientFrameSchema } from './protocol-schemas.js';
import type { JoinGrant } from './auth.js';
import type { RateLimitOptions } from './config.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { RateDecision, RateLimiter } from './rate-limiter.js';
import { DirectoryUnavailableError, type Occupant, type RoomDirectory } from './room-directory.js';
import type { TurnIssuer } from './turn-issuer.js';

export interface ConnectionContext {
  directory: RoomDirectory;
  log: Logger;
  metrics: Metrics;
  rateLimit: RateLimitOptions;
  /** Rooms this process may hold; a join that would open one more is refused with `server-full`. */
  maxRooms: number;
  turn?: TurnIssuer;
}

const KNOWN_TYPES = new Set(['join', 'signal', 'leave', 'ping']);

/** Close code the client reads as "this seat was taken by a newer connection of the same participant". */
const CLOSE_POLICY = 1008;

/** A client that stops reading cannot make the server buffer for it without bound. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** ws's own receiver errors: the frame never reached us, but it still counts as a refused frame. */
const WS_ERROR_REASONS: Record<string, string> = {
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 'too-large',
  WS_ERR_INVALID_UTF8: 'bad-utf8',
};

export class ClientSocket {
  #room?: string;
  #id?: string;
  #closing = false;
  #corked = false;
  /** The tail of this socket's frame queue. */
  #queue: Promise<void> = Promise.resolve();
  /** When a signal last went through this socket, either way: a drain lets a negotiation in progress finish. */
  #lastSignalAt = 0;
  readonly #limiter: RateLimiter;

  constructor(
    private readonly socket: WebSocket,
    private readonly context: ConnectionContext,
    /** This socket's number within the process; with the process id it addresses the socket from anywhere. */
    readonly conn: number,
    /** The verified join token, if the upgrade carried one: the only seat this socket may take. */
    private readonly grant: JoinGrant | undefined,
    /** The client's address (the per-IP key): the TURN subject of a tokenless seat. */
    private readonly address: string,
  ) {
    this.#limiter = new RateLimiter(context.rateLimit);
    const detach = context.directory.attach(conn, {
      deliver: (text) => this.#deliver(text),
      replace: () => this.replace(),
    });
    socket.on('message', (data, isBinary) => this.#guard(() => this.#handleMessage(data, isBinary)));
    socket.on('close', () => {
      this.#enqueue(() => this.#leaveRoom());
      this.#enqueue(async () => detach());
    });
    socket.on('error', (error: Error & { code?: string }) => {
      context.metrics.reject(WS_ERROR_REASONS[error.code ?? ''] ?? 'protocol-error');
      // ws has already sent the matching close code (1009 for an oversized frame); do not wait for an answer.
      this.#closeSoon();
    });
  }

  send(frame: ServerFrame): void {
    this.#write(JSON.stringify(frame));
  }

  /** Milliseconds since a signal last passed through this socket (Infinity if none ever did). */
  idleFor(now: number): number {
    return this.#lastSignalAt === 0 ? Infinity : now - this.#lastSignalAt;
  }

  /** A frame from the directory: relayed signals count as negotiation activity. */
  #deliver(text: string): void {
    this.#lastSignalAt = Date.now();
    this.#write(text);
  }

  #write(text: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.context.metrics.reject('slow-consumer');
      this.context.log('closed-slow-consumer', { level: 'warn' });
      this.socket.terminate();
      return;
    }
    this.#holdWritesForThisTick();
    this.socket.send(text);
  }

  /**
   * Frames written to this socket in one turn of the event loop (several relayed from one read, under load) leave in
   * one system call instead of one each: the TCP socket is corked until the pending callbacks of this turn ran. ws
   * corks and uncorks around every frame itself; an outer cork makes its uncork a no-op until ours.
   */
  #holdWritesForThisTick(): void {
    const tcp = (this.socket as unknown as { _socket?: Socket })._socket;
    if (this.#corked || !tcp || tcp.destroyed) return;
    this.#corked = true;
    tcp.cork();
    process.nextTick(() => {
      this.#corked = false;
      tcp.uncork();
    });
  }

  /** Closes this connection because the same participant joined again elsewhere. */
  replace(): void {
    this.#room = this.#id = undefined;
    // #closeSoon also ignores whatever the old socket still sends, so it cannot rejoin and evict the new one.
    this.#closeSoon(CLOSE_REPLACED, 'replaced by a newer connection');
  }

  #handleMessage(data: RawData, isBinary: boolean): void {
    this.context.metrics.received += 1;
    if (this.#closing) return;
    const decision = this.#limiter.check();
    if (decision !== RateDecision.Allow) {
      this.context.metrics.reject(ServerErrorCode.RateLimited);
      if (decision === RateDecision.Close) {
        this.context.log('closed-rate-limited', { level: 'warn' });
        this.#closeSoon(CLOSE_POLICY, 'rate limit exceeded');
      } else if (this.#limiter.shouldNotify()) {
        this.send({
          v: PROTOCOL_VERSION,
          type: 'error',
          code: ServerErrorCode.RateLimited,
          message: 'Too many frames; slow down.',
        });
      }
      return;
    }
    if (isBinary) {
      this.#reject(ServerErrorCode.BadFrame, 'Frames must be JSON text, not binary.');
      return;
    }
    const frame = this.#parse(data.toString());
    if (!frame) return;
    switch (frame.type) {
      case 'join':
        this.#enqueue(() => this.#join(frame));
        return;
      case 'signal':
        this.#lastSignalAt = Date.now();
        this.#enqueue(() => this.#relay(frame));
        return;
      case 'leave':
        this.#enqueue(() => this.#leaveRoom());
        return;
      case 'ping':
        // At once, not after the room operations queued before it: it only says this socket still works.
        this.send({ v: PROTOCOL_VERSION, type: 'pong' });
        return;
    }
  }

  #parse(text: string): ClientFrame | undefined {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#reject(ServerErrorCode.BadJson, 'Frames must be JSON text.');
      return undefined;
    }
    const result = v.safeParse(ClientFrameSchema, json);
    if (result.success) return result.output;
    const type = (json as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      this.#reject(ServerErrorCode.UnknownType, 'Unknown frame type.');
    } else {
      const issue = result.issues[0];
      const path = v.getDotPath(issue);
      this.#reject(ServerErrorCode.BadFrame, `Invalid "${type}" frame${path ? ` at ${path}` : ''}: ${issue.message}`);
    }
    return undefined;
  }

  async #join(frame: Extract<ClientFrame, { type: 'join' }>): Promise<void> {
    if (this.#room) {
      this.#reject(ServerErrorCode.AlreadyJoined, 'This connection already joined a room.');
      return;
    }
    if (this.grant && (frame.room !== this.grant.room || frame.peer !== this.grant.participant)) {
      this.#refuseJoin('The join token was issued for another room or participant.');
      return;
    }
    const { directory, log, metrics, turn, maxRooms } = this.context;
    // Checked and taken in the same turn of the event loop in memory; across Redis processes the count is per process.
    if (!directory.hasLocalRoom(frame.room) && directory.localRoomCount >= maxRooms) {
      log('join-refused', { reason: ServerErrorCode.ServerFull });
      this.#reject(ServerErrorCode.ServerFull, 'This server cannot open another room right now; try again later.');
      return;
    }
    const self: Occupant = {
      id: frame.peer,
      name: frame.name,
      node: directory.node,
      conn: this.conn,
      bound: !!this.grant,
    };
    const result = await directory.join(frame.room, self);
    if (!result.ok) {
      log('join-refused', { reason: result.reason });
      if (result.reason === 'seat-taken') this.#refuseJoin('This seat belongs to a participant with a join token.');
      else this.#reject(ServerErrorCode.RoomFull, 'This room already has two people in it.');
      return;
    }
    const { replaced } = result;
    if (replaced && !(replaced.node === directory.node && replaced.conn === this.conn)) directory.replace(replaced);
    this.#room = frame.room;
    this.#id = frame.peer;
    metrics.joins += 1;
    log('joined', { rooms: directory.localRoomCount, rejoin: Boolean(replaced), token: Boolean(this.grant) });
    // For this participant only, short-lived: the page never holds the long-lived TURN secret.
    const ice = turn?.issue({ participant: frame.peer, bound: !!this.grant, address: this.address });
    if (ice) metrics.turnCredential(ice.outcome);
    this.send({
      v: PROTOCOL_VERSION,
      type: 'joined',
      room: frame.room,
      self: frame.peer,
      peers: result.others.map(({ id, name }) => ({ id, name })),
      ...(ice?.iceServer ? { iceServers: [ice.iceServer] } : {}),
    });
    const joinedText = JSON.stringify({
      v: PROTOCOL_VERSION,
      type: 'peer-joined',
      peer: { id: frame.peer, name: frame.name },
    } satisfies ServerFrame);
    for (const other of result.others) {
      // Members whose process died before they could say goodbye: the one still here learns they are gone.
      for (const gone of result.vanished) {
        directory.deliver(other, JSON.stringify({ v: PROTOCOL_VERSION, type: 'peer-left', peer: gone }));
      }
      directory.deliver(other, joinedText);
    }
  }

  async #relay(frame: Extract<ClientFrame, { type: 'signal' }>): Promise<void> {
    if (!this.#room || !this.#id) {
      this.#reject(ServerErrorCode.NotJoined, 'Join a room before signaling.');
      return;
    }
    const { directory } = this.context;
    const target = await directory.find(this.#room, frame.to);
    // The seat may have been taken over by a newer connection while the lookup ran.
    if (!this.#id) return;
    if (!target || (target.node === directory.node && target.conn === this.conn)) {
      this.#reject(ServerErrorCode.UnknownPeer, 'No such participant in this room.');
      return;
    }
    // The sender is stamped here, from the seat this socket holds: a client cannot speak for someone else.
    const relayed: ServerFrame = {
      v: PROTOCOL_VERSION,
      type: 'signal',
      from: this.#id,
      id: frame.id,
      payload: frame.payload,
    };
    let text: string;
    try {
      text = JSON.stringify(relayed);
    } catch {
      // A payload nested thousands deep parses, yet overflows the serialiser's stack: refuse it as a bad frame.
      this.#reject(ServerErrorCode.BadFrame, 'The payload is nested too deeply to relay.');
      return;
    }
    directory.deliver(target, text);
    this.context.metrics.relayed += 1;
  }

  async #leaveRoom(): Promise<void> {
    const room = this.#room;
    const id = this.#id;
    this.#room = this.#id = undefined;
    if (!room || !id) return;
    const { directory } = this.context;
    const remaining = await directory.leave(room, id, this.conn);
    const text = JSON.stringify({ v: PROTOCOL_VERSION, type: 'peer-left', peer: id } satisfies ServerFrame);
    for (const other of remaining) directory.deliver(other, text);
    this.context.log('left', { rooms: directory.localRoomCount });
  }

  #reject(code: ServerErrorCode, message: string): void {
    this.context.metrics.reject(code);
    this.send({ v: PROTOCOL_VERSION, type: 'error', code, message });
  }

  /** A token that does not fit the join is not a mistake to retry on this socket: answer, then close it. */
  #refuseJoin(message: string): void {
    this.#reject(ServerErrorCode.Unauthorized, message);
    this.#closeSoon(CLOSE_POLICY, 'unauthorized');
  }

  /** Starts a polite close, and cuts the socket if the client does not complete it promptly (or keeps flooding). */
  #closeSoon(code?: number, reason?: string): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  /** Runs a room operation after the ones before it on this socket; a failure costs that frame only. */
  #enqueue(operation: () => Promise<void>): void {
    this.#queue = this.#queue.then(() => operation().catch((error: unknown) => this.#handleFailure(error)));
  }

  /** Last line of defence for "the server never throws": a bug costs this one frame, never the process. */
  #guard(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.#handleFailure(error);
    }
  }

  #handleFailure(error: unknown): void {
    if (error instanceof DirectoryUnavailableError) {
      // The room store is down: say so, so the client retries, and keep the socket.
      this.context.log('directory-unavailable', { level: 'error' });
      this.#reject(ServerErrorCode.Internal, 'The room service is unavailable; try again shortly.');
      return;
    }
    this.context.log('internal-error', { level: 'error', error: error instanceof Error ? error.name : typeof error });
    this.#reject(ServerErrorCode.Internal, 'The server could not handle this frame.');
  }
}
