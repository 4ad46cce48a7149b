/** What a CallSession is made with: the room, how to reach it, this side's media, and the call's policies. */
import type { SignalingAdapter } from '../signaling/signaling-adapter.js';
import type { FileOfferDetail } from './file-transfer/file-events.js';
import type { CreateLink } from './link.js';
import type { AcquiredMedia, DeviceChoice, MediaRequest } from './media.js';
import type { RelayPolicy } from './relay-policy.js';

export interface CallSessionOptions {
  signaling: SignalingAdapter;
  room: string;
  /** Display name shown to the other person. */
  name?: string;
  /** Join token for servers that require one. */
  token?: string;
  /** ICE servers; none by default (direct host candidates only). Never defaults to a public STUN host. */
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Which devices to capture; both by default. */
  media?: Partial<MediaRequest>;
  /** Which camera and microphone to use (ids from listDevices()); the browser's defaults otherwise. */
  devices?: DeviceChoice;
  /** One-way delay (ms) above which `quality` events say `overBudget`; 0 or absent: no budget. */
  latencyBudget?: number;
  /** Start with the microphone muted / the camera off. */
  muted?: boolean;
  cameraOff?: boolean;
  /** A stream the host made (canvas, processed camera). Used instead of getUserMedia; the host keeps ownership. */
  localStream?: MediaStream;
  /**
   * Camera and microphone already opened (or being opened) for this call, such as the element's pre-join preview, with
   * what that capture could not get. Used instead of asking again, and from then on the session's own: stopped when
   * the call ends, devices looked after. Ignored (the session captures) when it fails or no track of it is live.
   */
  capturedMedia?: AcquiredMedia | Promise<AcquiredMedia | undefined>;
  /** Where to get camera and microphone; the browser's by default. */
  mediaDevices?: MediaDevices;
  /** This participant's id: the join token's `sub` when there is one, else random. Keep it to be recognised after a reload. */
  peerId?: string;
  /** Largest file sent or accepted, in bytes (1 GiB by default). */
  maxFileSize?: number;
  /** Incoming files that may arrive at once (4 by default); more offers are refused as `busy`. */
  maxIncomingFiles?: number;
  /** Bytes the incoming files arriving at once may add up to (2 GiB by default); more are refused as `busy`. */
  maxIncomingBytes?: number;
  /** TURN relay policy: `allow` (default), `forbid` (never relay), `only` (always relay, hides addresses). */
  relay?: RelayPolicy;
  /** How long to try restoring a broken media path before giving up (ms, 30 s by default). */
  recoveryTimeout?: number;
  /**
   * Decides each file the other side offers (within the limits): true, or a promise of it, accepts; the sender waits
   * meanwhile. When set, it is asked instead of emitting `file-offer`. Without it, every offer is emitted as
   * `file-offer` and accepted unless a listener calls `refuseFile(id)`.
   */
  acceptFile?: (offer: FileOfferDetail) => boolean | Promise<boolean>;
  /**
   * How many frames of a remote stream this page has shown so far (its video players count them), or undefined where
   * no video shows it. While the count moves, the watch for a broken media path skips reading the connection's
   * statistics, the costliest thing a running call does on the main thread. The element answers it for its views.
   */
  shownFrames?: (stream: MediaStream) => number | undefined;
  /** Builds the connection to a peer. The browser's RTCPeerConnection by default; tests give a fake. */
  createLink?: CreateLink;
}
