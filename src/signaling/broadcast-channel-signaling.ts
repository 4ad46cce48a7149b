import { ErrorCode } from '../errors.js';
import type { RelayedRoomMessage } from './protocol.js';
import { RelayedRoomSignaling } from './relayed-room-signaling.js';

/**
 * Signaling between tabs of one origin, with no server at all: one BroadcastChannel per room.
 * Useful for demos, tests and kiosk setups where both people share a browser profile.
 */
export class BroadcastChannelSignaling extends RelayedRoomSignaling {
  #channel?: BroadcastChannel;

  /** @param prefix namespaces the channel names so several apps on one origin do not hear each other. */
  constructor(private readonly prefix = 'p2p-call') {
    super();
  }

  protected open(room: string): void {
    this.close();
    if (typeof BroadcastChannel === 'undefined') {
      this.listeners.emit({
        type: 'error',
        code: ErrorCode.Unsupported,
        message: 'BroadcastChannel is not available in this browser.',
        recoverable: false,
      });
      return;
    }
    const channel = new BroadcastChannel(`${this.prefix}:${room}`);
    channel.onmessage = (event: MessageEvent) => this.receive(event.data);
    this.#channel = channel;
  }

  protected post(envelope: RelayedRoomMessage): void {
    this.#channel?.postMessage(envelope);
  }

  protected close(): void {
    this.#channel?.close();
    this.#channel = undefined;
  }
}
