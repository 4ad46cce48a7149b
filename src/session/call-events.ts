/**
 * The one event map. The session's mitt emitter uses these names; the element re-dispatches each as a DOM event
 * named `p2p-<name>` carrying the same payload as `detail` (see element/call-dom-events.ts). Add events here and both
 * floors get them typed.
 */
import type { ErrorDetail } from '../errors.js';
import type { CallState } from './call-state.js';
import type {
  FileCancelDetail,
  FileOfferDetail,
  FileProgressDetail,
  FileReceivedDetail,
  FileSentDetail,
} from './file-transfer/file-events.js';
import type { PeerInfo } from '../signaling/protocol.js';

export interface StateChangeDetail {
  state: CallState;
  previous: CallState;
}

export interface PeerDetail {
  peer: PeerInfo;
}

export interface StreamDetail {
  stream: MediaStream;
}

/** What one side sends (`local-media`) or the other side is sending (`remote-media`). */
export interface MediaStateDetail {
  /** The microphone is muted (or absent). */
  muted: boolean;
  /** The camera is off (or absent). */
  cameraOff: boolean;
}

/** An auxiliary stream (a shared screen or document view) started or ended, on this side or the other. */
export interface ShareDetail {
  side: 'local' | 'remote';
  stream: MediaStream;
}

/** Host application data from the peer: a JSON value, or an ArrayBuffer for binary data. */
export interface DataDetail {
  data: unknown;
}

export interface ChatDetail {
  text: string;
  from: 'local' | 'remote';
  /** Display name of the author ('' when unknown). */
  name: string;
  /** Milliseconds since the epoch, on the receiving clock. */
  at: number;
}

export interface VerificationDetail {
  /** The short code both people compare, e.g. "123 456". Equal on both sides only if no one is in the middle. */
  code: string;
  /** The DTLS certificate fingerprints it was computed from. */
  fingerprints: { local: string[]; remote: string[] };
}

export interface VerifiedDetail {
  code: string;
  /**
   * Who confirmed it: this side's person/host (`verify()`: this side is now verified), or the other side's (`remote`:
   * information only; whoever relays the call could send it, so it never marks this side verified).
   */
  by: 'local' | 'remote';
}

/** How media actually travels, from the selected ICE candidate pair. */
export interface RouteDetail {
  /** `direct` (host/srflx/prflx candidates) or `relay` (through a TURN server). */
  route: 'direct' | 'relay';
  local: string;
  remote: string;
  /** How this side's packets leave it: `udp` or `tcp`; through a relay, how they reach it: `udp`, `tcp` or `tls`. */
  protocol: string;
}

/**
 * Why the session started replacing the peer connection. `ice-stalled`: a new connection's checks never started
 * (no candidate from the other side arrived) 10 s after it was negotiated; it is retried with a fresh one.
 * `packets-stopped`: nothing at all came in for a second from a peer that was sending media (a network change
 * under either side), seconds before ICE itself would say `disconnected`.
 */
export type ReconnectReason =
  'ice-failed' | 'ice-disconnected' | 'packets-stopped' | 'ice-stalled' | 'transport-closed' | 'peer-request';

export interface ReconnectingDetail {
  reason: ReconnectReason;
}

export interface RecoveredDetail {
  /** From noticing the loss to the new connection's data channel opening. */
  durationMs: number;
  /** Fresh connections tried, the successful one included. */
  attempts: number;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

/** Connection quality, sampled from getStats at most once a second while connected. */
export interface QualityDetail {
  /** Round-trip time of the selected candidate pair, ms. */
  rtt: number;
  /** Largest inbound jitter (audio or video), ms. */
  jitter: number;
  /** Fraction (0-1) of incoming packets lost since the previous sample. */
  loss: number;
  /** Estimated one-way delay: rtt / 2 + jitter, ms. This is what `latency-budget` is compared with. */
  delay: number;
  route: 'direct' | 'relay';
  level: QualityLevel;
  /** The latency budget in ms (0: none). */
  budget: number;
  /** True when `delay` exceeds a non-zero budget. */
  overBudget: boolean;
}

export type {
  FileCancelDetail,
  FileOfferDetail,
  FileProgressDetail,
  FileReceivedDetail,
  FileSentDetail,
  FileTransferResult,
} from './file-transfer/file-events.js';

export type CallEventMap = {
  'state-change': StateChangeDetail;
  'peer-join': PeerDetail;
  'peer-leave': PeerDetail;
  'local-stream': StreamDetail;
  'remote-stream': StreamDetail;
  'local-media': MediaStateDetail;
  'remote-media': MediaStateDetail;
  'share-start': ShareDetail;
  'share-end': ShareDetail;
  data: DataDetail;
  chat: ChatDetail;
  /** A file is offered; cancelable on the element (`preventDefault()` refuses it). */
  'file-offer': FileOfferDetail;
  'file-progress': FileProgressDetail;
  'file-received': FileReceivedDetail;
  'file-sent': FileSentDetail;
  'file-cancel': FileCancelDetail;
  verification: VerificationDetail;
  verified: VerifiedDetail;
  route: RouteDetail;
  /** The media path broke; a fresh connection is being negotiated (state `reconnecting` once it was connected). */
  reconnecting: ReconnectingDetail;
  /** The media path is back. */
  recovered: RecoveredDetail;
  quality: QualityDetail;
  error: ErrorDetail;
};

export type CallEventName = keyof CallEventMap;
