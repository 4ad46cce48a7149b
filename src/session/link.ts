/**
 * What the session needs of one connection to one remote peer. PeerLink (peer-link.ts) is the real one, built on the
 * browser's RTCPeerConnection; unit tests give the session a fake through the `createLink` option, so recovery,
 * glare and the watchdogs run in Node with fake timers.
 */
import type { Emitter } from 'mitt';
import type { P2PCallError } from '../errors.js';
import type { SignalPayload } from '../signaling/signaling-adapter.js';

export interface LinkOptions {
  iceServers: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  stream?: MediaStream;
}

export type LinkEvents = {
  /** Negotiation data to hand to the other side through signaling. */
  signal: SignalPayload;
  /** The main data channel opened: the link is usable. */
  connect: undefined;
  /** A remote stream with all its tracks. */
  stream: MediaStream;
  /** A text or binary message from the peer's main data channel. */
  message: string | Uint8Array;
  close: undefined;
  error: P2PCallError;
};

export interface Link {
  readonly events: Emitter<LinkEvents>;
  /** Names this connection in every signal, so a replacement never takes a stale candidate or answer. */
  readonly id: string;
  readonly started: boolean;
  /** True once the main data channel is open, until the link closes. */
  readonly connected: boolean;
  readonly closed: boolean;
  /** The browser's connection: its states, stats and certificates (read, never driven, by the session). */
  readonly connection: RTCPeerConnection;
  /** Gives the link its id and role, once: the offerer offers now, the answerer waits for an offer. */
  start(id: string, initiator: boolean): void;
  /** Points a prepared link at other ICE servers; false when the browser refuses (the link is then unusable). */
  reconfigure(iceServers: RTCIceServer[], iceTransportPolicy: RTCIceTransportPolicy): boolean;
  /** Applies negotiation data from the peer; false (and nothing applied) when it is not negotiation data. */
  signal(payload: SignalPayload): boolean;
  /** Puts a track on the auxiliary video sender (or takes it off); returns the stream id the peer sees it in. */
  setAuxTrack(track: MediaStreamTrack | null): string;
  /** Puts a new camera or microphone track on the call, on the existing sender where there is one. */
  setLocalTrack(track: MediaStreamTrack): void;
  /** The camera is sent reduced (see camera-size.ts); false when at full size or too small to reduce. */
  readonly cameraReduced: boolean;
  /** Sends the camera reduced, or at its full size. */
  reduceCamera(reduced: boolean): void;
  /**
   * Checks every path again (an ICE restart) on this same connection: its keys, its data channels and the media on
   * the current pair stay while the checks run. The offerer makes a new offer; the answerer asks the offerer for one.
   * A few per link at most: a request past them, or one that arrives while the last restart is young, is ignored.
   */
  restartIce(): void;
  /** A second data channel agreed in advance on both sides (no renegotiation). */
  openNegotiatedChannel(label: string, id: number): RTCDataChannel;
  /** Sends one message on the main channel; false when it is not open. */
  send(data: string | Uint8Array): boolean;
  destroy(): void;
}

export type CreateLink = (options: LinkOptions) => Link;
