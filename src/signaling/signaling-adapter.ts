/**
 * Floor 1: how two peers find each other. The session talks to any signaling through this interface; the host can
 * implement it too (or use CallbackSignaling to carry envelopes over its own channel).
 */
import type { ErrorDetail } from '../errors.js';
import type { PeerInfo, SignalPayload } from './protocol.js';

export type { PeerInfo, SignalPayload } from './protocol.js';

export interface JoinRequest {
  room: string;
  /** This participant's id; kept across reconnects so the server and the peer recognise the same person. */
  peerId: string;
  name: string;
  /** An opaque join token for servers that require one. */
  token?: string;
}

/** What an adapter reports to the session. One discriminated union keeps a host-written adapter easy to type. */
export type SignalingEvent =
  | { type: 'joined'; self: string; peers: PeerInfo[]; iceServers?: RTCIceServer[] }
  | { type: 'peer-joined'; peer: PeerInfo }
  | { type: 'peer-left'; peerId: string }
  | { type: 'signal'; from: string; id: string; payload: SignalPayload }
  /** The channel to the server dropped ('lost') or came back ('restored'); the call itself may go on meanwhile. */
  | { type: 'connection'; status: 'lost' | 'restored' }
  | ({ type: 'error' } & ErrorDetail);

export type SignalingListener = (event: SignalingEvent) => void;

export interface SignalingAdapter {
  /** Enter the room. Completion is reported by a `joined` event (or an `error`). */
  join(request: JoinRequest): void;
  /** Deliver negotiation data to one peer of the room. `id` is unique per message so duplicates can be dropped. */
  send(to: string, id: string, payload: SignalPayload): void;
  /** Leave the room and release every resource (sockets, channels, timers). Safe to call twice. */
  leave(): void;
  /** Subscribe to adapter events; returns the unsubscribe function. */
  subscribe(listener: SignalingListener): () => void;
  /**
   * Optional. The network under this side may have changed (the media path just broke): check at once that the
   * channel still works, and open a new one if it does not, so that the recovery's signals get through.
   */
  checkConnection?(): void;
}
