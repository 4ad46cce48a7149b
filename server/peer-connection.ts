/**
 * One browser's WebSocket: parses and validates every frame, joins one room, relays signals to the other member.
 * A bad frame is answered with an error frame; nothing a client sends can throw out of here.
 */
import type { WebSocket } from 'ws';
import * as v from 'valibot';
import {
  ClientFrameSchema,
  PROTOCOL_VERSION,
  ServerErrorCode,
  type ClientFrame,
  type ServerFrame,
} from '../src/signaling/protocol.js';
import type { Logger } from './logger.js';
import type { RoomRegistry } from './room-registry.js';

const KNOWN_TYPES = new Set(['join', 'signal', 'leave']);

export class PeerConnection {
  #room?: string;
  #id?: string;

  constructor(
    private readonly socket: WebSocket,
    private readonly rooms: RoomRegistry<PeerConnection>,
    private readonly log: Logger,
    private readonly onRejected: (reason: string) => void = () => {},
  ) {
    socket.on('message', (data, isBinary) => this.#handleMessage(data.toString(), isBinary));
    socket.on('close', () => this.#leaveRoom());
    socket.on('error', () => socket.terminate());
  }

  send(frame: ServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Closes this connection because the same participant joined again elsewhere. */
  replace(): void {
    this.#room = this.#id = undefined;
    this.socket.close(4000, 'replaced by a newer connection');
  }

  #handleMessage(text: string, isBinary: boolean): void {
    if (isBinary) {
      this.#reject(ServerErrorCode.BadFrame, 'Frames must be JSON text, not binary.');
      return;
    }
    const frame = this.#parse(text);
    if (!frame) return;
    switch (frame.type) {
      case 'join':
        this.#join(frame);
        return;
      case 'signal':
        this.#relay(frame);
        return;
      case 'leave':
        this.#leaveRoom();
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
      const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
      this.#reject(ServerErrorCode.BadFrame, `Invalid "${type}" frame${path ? ` at ${path}` : ''}: ${issue.message}`);
    }
    return undefined;
  }

  #join(frame: Extract<ClientFrame, { type: 'join' }>): void {
    if (this.#room) {
      this.#reject(ServerErrorCode.AlreadyJoined, 'This connection already joined a room.');
      return;
    }
    const result = this.rooms.join(frame.room, { id: frame.peer, name: frame.name, connection: this });
    if (!result.ok) {
      this.log('join-refused', { reason: result.reason });
      this.#reject(ServerErrorCode.RoomFull, 'This room already has two people in it.');
      return;
    }
    result.replaced?.connection.replace();
    this.#room = frame.room;
    this.#id = frame.peer;
    this.log('joined', { rooms: this.rooms.roomCount, rejoin: Boolean(result.replaced) });
    this.send({
      v: PROTOCOL_VERSION,
      type: 'joined',
      room: frame.room,
      self: frame.peer,
      peers: result.others.map(({ id, name }) => ({ id, name })),
    });
    for (const other of result.others) {
      other.connection.send({ v: PROTOCOL_VERSION, type: 'peer-joined', peer: { id: frame.peer, name: frame.name } });
    }
  }

  #relay(frame: Extract<ClientFrame, { type: 'signal' }>): void {
    if (!this.#room || !this.#id) {
      this.#reject(ServerErrorCode.NotJoined, 'Join a room before signaling.');
      return;
    }
    const target = this.rooms.member(this.#room, frame.to);
    if (!target || target.connection === this) {
      this.#reject(ServerErrorCode.UnknownPeer, 'No such participant in this room.');
      return;
    }
    // The sender is stamped here, from the seat this socket holds: a client cannot speak for someone else.
    target.connection.send({ v: PROTOCOL_VERSION, type: 'signal', from: this.#id, id: frame.id, payload: frame.payload });
  }

  #leaveRoom(): void {
    const room = this.#room;
    const id = this.#id;
    this.#room = this.#id = undefined;
    if (!room || !id) return;
    const remaining = this.rooms.leave(room, id, this);
    for (const other of remaining ?? []) {
      other.connection.send({ v: PROTOCOL_VERSION, type: 'peer-left', peer: id });
    }
    this.log('left', { rooms: this.rooms.roomCount });
  }

  #reject(code: ServerErrorCode, message: string): void {
    this.onRejected(code);
    this.send({ v: PROTOCOL_VERSION, type: 'error', code, message });
  }
}
