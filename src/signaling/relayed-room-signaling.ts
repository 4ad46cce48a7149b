/**
 * A room without a server: every member posts envelopes to a shared channel that all members of the room hear
 * (a BroadcastChannel, or the host app's own socket). Members announce themselves with `hello`, answer with `here`,
 * and keep the room to two by answering a third `hello` with `full`.
 */
import { ErrorCode } from '../errors.js';
import { Listeners } from './listeners.js';
import { PROTOCOL_VERSION, parseRelayedRoomMessage, type RelayedRoomMessage } from './protocol.js';
import type { JoinRequest, SignalingAdapter, SignalingListener, SignalPayload } from './signaling-adapter.js';

const ROOM_CAPACITY = 2;

/** An envelope as this class writes it: the version field is added in one place, #post(). */
type Outgoing = RelayedRoomMessage extends infer M ? (M extends { v: number } ? Omit<M, 'v'> : never) : never;

export abstract class RelayedRoomSignaling implements SignalingAdapter {
  protected readonly listeners = new Listeners();
  #request?: JoinRequest;
  /** Other members heard in this room, by id. */
  readonly #members = new Map<string, string>();

  /** Sends one envelope to every member of the shared channel. */
  protected abstract post(envelope: RelayedRoomMessage): void;
  /** Opens the shared channel for a room. */
  protected abstract open(room: string): void;
  /** Closes the shared channel. */
  protected abstract close(): void;

  join(request: JoinRequest): void {
    this.#request = request;
    this.#members.clear();
    this.open(request.room);
    this.listeners.emit({ type: 'joined', self: request.peerId, peers: [] });
    this.#post({ type: 'hello', room: request.room, from: request.peerId, name: request.name });
  }

  send(to: string, id: string, payload: SignalPayload): void {
    const request = this.#request;
    if (!request) return;
    this.#post({ type: 'signal', room: request.room, from: request.peerId, to, id, payload });
  }

  leave(): void {
    const request = this.#request;
    if (!request) return;
    this.#post({ type: 'bye', room: request.room, from: request.peerId });
    this.#request = undefined;
    this.#members.clear();
    this.close();
  }

  subscribe(listener: SignalingListener): () => void {
    return this.listeners.subscribe(listener);
  }

  /** Feeds one envelope heard on the shared channel; anything malformed or meant for others is ignored. */
  protected receive(raw: unknown): void {
    const request = this.#request;
    if (!request) return;
    const message = parseRelayedRoomMessage(raw);
    if (!message) {
      this.listeners.emit({
        type: 'error',
        code: ErrorCode.BadMessage,
        message: 'A malformed signaling envelope was dropped.',
        recoverable: true,
      });
      return;
    }
    if (message.room !== request.room || message.from === request.peerId) return;
    if ('to' in message && message.to !== request.peerId) return;
    this.#handle(message, request);
  }

  #handle(message: RelayedRoomMessage, request: JoinRequest): void {
    switch (message.type) {
      case 'hello':
        if (!this.#members.has(message.from) && this.#members.size + 1 >= ROOM_CAPACITY) {
          this.#post({ type: 'full', room: request.room, from: request.peerId, to: message.from });
          return;
        }
        this.#post({ type: 'here', room: request.room, from: request.peerId, to: message.from, name: request.name });
        this.#admit(message.from, message.name);
        return;
      case 'here':
        if (this.#members.has(message.from) || this.#members.size + 1 < ROOM_CAPACITY) {
          this.#admit(message.from, message.name);
        }
        return;
      case 'full':
        if (this.#members.size > 0) return; // we already have a partner; a stale answer
        this.listeners.emit({
          type: 'error',
          code: ErrorCode.RoomFull,
          message: 'This room already has two people in it.',
          recoverable: false,
        });
        return;
      case 'bye':
        if (this.#members.delete(message.from)) this.listeners.emit({ type: 'peer-left', peerId: message.from });
        return;
      case 'signal':
        if (!this.#members.has(message.from)) this.#admit(message.from, '');
        this.listeners.emit({ type: 'signal', from: message.from, id: message.id, payload: message.payload });
        return;
    }
  }

  #admit(id: string, name: string): void {
    const known = this.#members.has(id);
    this.#members.set(id, name);
    if (!known) this.listeners.emit({ type: 'peer-joined', peer: { id, name } });
  }

  #post(message: Outgoing): void {
    this.post({ v: PROTOCOL_VERSION, ...message } as RelayedRoomMessage);
  }
}
