/**
 * Every failure the call can report, as one string-const object so hosts can switch on `error.code`.
 * Codes are part of the public contract: add new ones, never rename.
 */
export const ErrorCode = {
  /** The person (or the browser/page policy) refused camera and microphone access. */
  PermissionDenied: 'permission-denied',
  /** No camera or microphone exists; the call continues with what is there. */
  NoDevice: 'no-device',
  /** The device exists but another application holds it. */
  DeviceBusy: 'device-busy',
  /** getUserMedia failed for another reason. */
  MediaFailed: 'media-failed',
  /** The room already holds two people. */
  RoomFull: 'room-full',
  /** The signaling channel could not be opened or was lost for good. */
  SignalingUnavailable: 'signaling-unavailable',
  /** The signaling server answered a frame with an error. */
  SignalingRejected: 'signaling-rejected',
  /** A malformed or unknown message arrived from the server or the peer; it was dropped. */
  BadMessage: 'bad-message',
  /** The peer connection failed and could not be recovered. */
  PeerFailed: 'peer-failed',
  /** The media path broke and was not restored before the recovery deadline; the call waits for the peer again. */
  ConnectionLost: 'connection-lost',
  /**
   * The first connection to the other person failed: every pair of addresses the two browsers found was checked and
   * none answered. Their networks need a relay (a TURN server) that is not configured, or that relay="forbid" does
   * not allow, or a firewall blocks the call. Reported at once rather than retried: a fresh connection between the
   * same networks fails the same way. The call waits for the person again (a rejoin tries anew).
   */
  Unreachable: 'unreachable',
  /** An attribute or option is invalid (bad JSON in ice-servers, missing room or signaling). */
  InvalidConfig: 'invalid-config',
  /** The operation needs a connected call. */
  NotConnected: 'not-connected',
  /** The other side refused a file (or its host vetoed the offer). */
  FileRefused: 'file-refused',
  /** A file is larger than the sender's or the receiver's limit (`max-file-size`). */
  FileTooLarge: 'file-too-large',
  /** A received file's SHA-256 did not match the sender's; the file was discarded. */
  FileIntegrity: 'file-integrity',
  /** A file could not be read or sent. */
  FileFailed: 'file-failed',
  /** The peer's verification data was inconsistent: treat the call as possibly intercepted. */
  VerificationFailed: 'verification-failed',
  /** A `send()` message is too large for one data-channel message, or not serialisable. */
  MessageTooLarge: 'message-too-large',
  /**
   * `relay="forbid"` is set and the only path to the other person goes through a relay (TURN): the other side's
   * networks need one. The call ends rather than relay.
   */
  RelayForbidden: 'relay-forbidden',
  /**
   * This browser lacks what a call needs: WebRTC (RTCPeerConnection), camera and microphone access (also missing on
   * a page that is not a secure context), or BroadcastChannel for `signaling="broadcast"`.
   */
  Unsupported: 'unsupported',
  /**
   * A part of the element could not be downloaded when the call needed it (offline, or the script-tag bundle's
   * `min/` folder not served beside it). join() tries again.
   */
  LoadFailed: 'load-failed',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one error type the call throws or emits. `recoverable: true` means the call goes on (a warning: a missing
 * camera, a refused file); `false` means it stopped in the `error` state (join() may be called again).
 */
export class P2PCallError extends Error {
  override readonly name = 'P2PCallError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly recoverable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The plain payload carried by `error` events. */
  toDetail(): ErrorDetail {
    return { code: this.code, message: this.message, recoverable: this.recoverable };
  }
}

export interface ErrorDetail {
  code: ErrorCode;
  message: string;
  recoverable: boolean;
}
