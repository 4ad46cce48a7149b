import type { RelayedRoomMessage } from './protocol.js';
import { RelayedRoomSignaling } from './relayed-room-signaling.js';

export interface CallbackSignalingOptions {
  /**
   * Called with each envelope this side wants delivered to the other members of the room. The host carries it over
   * its own channel (its socket, HTTP long-poll, Firebase...) and hands what arrives to `receive()` on the other side.
   * The envelope is plain JSON: `JSON.stringify` it as it is.
   */
  send: (envelope: RelayedRoomMessage) => void;
  /** Called when the session joins (channel open) or leaves, so the host can subscribe/unsubscribe its channel. */
  onJoin?: (room: string) => void;
  onLeave?: (room: string) => void;
}

/**
 * Signaling over the host application's own channel. The host does not need to understand the envelopes; it only
 * has to deliver each one to the other members of the same room (delivery to the sender too is harmless).
 *
 * ```js
 * const signaling = new CallbackSignaling({ send: (envelope) => socket.send(JSON.stringify(envelope)) });
 * socket.onmessage = (event) => signaling.receive(JSON.parse(event.data));
 * callElement.signaling = signaling;
 * ```
 */
export class CallbackSignaling extends RelayedRoomSignaling {
  #room?: string;

  constructor(private readonly options: CallbackSignalingOptions) {
    super();
  }

  /** Hand over an envelope that arrived on the host's channel (parsed JSON or the raw string). */
  override receive(envelope: unknown): void {
    if (typeof envelope === 'string') {
      try {
        envelope = JSON.parse(envelope);
      } catch {
        envelope = undefined; // reported as malformed below
      }
    }
    super.receive(envelope);
  }

  protected open(room: string): void {
    this.#room = room;
    this.options.onJoin?.(room);
  }

  protected post(envelope: RelayedRoomMessage): void {
    this.options.send(envelope);
  }

  protected close(): void {
    if (this.#room !== undefined) this.options.onLeave?.(this.#room);
    this.#room = undefined;
  }
}
