/**
 * Floor 2: one two-person call, free of the DOM. It owns the local media, one signaling adapter and at most one
 * PeerLink, moves through CallState, and reports everything on a typed mitt emitter (the event map in events.ts).
 *
 * The flow of a call: join() -> media -> signaling.join -> `joined` (waiting) -> `peer-joined` -> PeerLink
 * (the participant with the smaller id makes the offer, so both sides never offer at once) -> negotiation through
 * signaling -> `connect` (connected) -> remote stream.
 */
import mitt from 'mitt';
import { ErrorCode, P2PCallError, type ErrorDetail } from '../errors.js';
import type { CallEventMap } from '../events.js';
import type { PeerInfo, SignalingAdapter, SignalingEvent, SignalPayload } from '../signaling/signaling-adapter.js';
import { CallState, isActive } from './call-state.js';
import { DuplicateFilter } from './duplicate-filter.js';
import { randomId } from './ids.js';
import { acquireLocalMedia, stopStream, type AcquiredMedia, type MediaRequest } from './media.js';
import { PeerLink } from './peer-link.js';
import { encodePeerMessage, parsePeerMessage, type PeerMessage } from './peer-messages.js';

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
  /** Start with the microphone muted / the camera off. */
  muted?: boolean;
  cameraOff?: boolean;
  /** A stream the host made (canvas, processed camera). Used instead of getUserMedia; the host keeps ownership. */
  localStream?: MediaStream;
  /** Where to get camera and microphone; the browser's by default. */
  mediaDevices?: MediaDevices;
  /** This participant's id; random by default. Keep it to be recognised after a reload. */
  peerId?: string;
}

export class CallSession {
  readonly events = mitt<CallEventMap>();
  readonly peerId: string;
  #state: CallState = CallState.Idle;
  #selfId: string;
  #localStream?: MediaStream;
  #ownsLocalStream = false;
  #remoteStream?: MediaStream;
  #remote?: PeerInfo;
  #link?: PeerLink;
  #muted: boolean;
  #cameraOff: boolean;
  #iceServers: RTCIceServer[];
  #unsubscribe?: () => void;
  /** Bumped by every join/leave so an await that resumes after a leave() knows it is stale. */
  #generation = 0;
  #messageCounter = 0;
  readonly #messagePrefix = randomId(4);
  readonly #seenSignals = new DuplicateFilter();

  constructor(private readonly options: CallSessionOptions) {
    this.peerId = options.peerId ?? randomId();
    this.#selfId = this.peerId;
    this.#muted = options.muted ?? false;
    this.#cameraOff = options.cameraOff ?? false;
    this.#iceServers = options.iceServers ?? [];
  }

  get state(): CallState {
    return this.#state;
  }

  get localStream(): MediaStream | undefined {
    return this.#localStream;
  }

  get remoteStream(): MediaStream | undefined {
    return this.#remoteStream;
  }

  /** The other participant, once known. */
  get remotePeer(): PeerInfo | undefined {
    return this.#remote;
  }

  /** True when no audio leaves this side (muted, or no microphone). */
  get muted(): boolean {
    return this.#muted || !this.#localStream?.getAudioTracks().length;
  }

  /** True when no video leaves this side (camera off, or no camera). */
  get cameraOff(): boolean {
    return this.#cameraOff || !this.#localStream?.getVideoTracks().length;
  }

  /** Enters the room. Resolves when joined or failed; failures arrive as `error` events, never as a rejection. */
  async join(): Promise<void> {
    if (isActive(this.#state)) return;
    const generation = ++this.#generation;
    this.#setState(CallState.Joining);
    let media: AcquiredMedia;
    try {
      media = await this.#acquireMedia();
    } catch (error) {
      if (generation === this.#generation) this.#fail(asCallError(error));
      return;
    }
    if (generation !== this.#generation) {
      // left while the camera prompt was open: release what the prompt granted
      if (!this.options.localStream) stopStream(media.stream);
      return;
    }
    this.#adoptMedia(media);
    this.#unsubscribe = this.options.signaling.subscribe((event) => this.#handleSignaling(event));
    try {
      this.options.signaling.join({
        room: this.options.room,
        peerId: this.peerId,
        name: this.options.name ?? '',
        token: this.options.token,
      });
    } catch (error) {
      this.#fail(asCallError(error, ErrorCode.SignalingUnavailable));
    }
  }

  /** Leaves the call: tells the peer, closes the connection, stops the camera and microphone. Safe to call twice. */
  leave(): void {
    if (!isActive(this.#state)) return;
    this.#teardown();
    this.#setState(CallState.Ended);
  }

  /** Leaves and drops every listener; the session cannot be used afterwards. */
  destroy(): void {
    this.leave();
    this.events.all.clear();
  }

  setMuted(muted: boolean): void {
    this.setMedia({ muted });
  }

  setCameraOff(cameraOff: boolean): void {
    this.setMedia({ cameraOff });
  }

  /** Mutes/unmutes and turns the camera off/on in one step, announcing the result once (to the host and the peer). */
  setMedia({ muted = this.#muted, cameraOff = this.#cameraOff }: { muted?: boolean; cameraOff?: boolean }): void {
    this.#muted = muted;
    this.#cameraOff = cameraOff;
    // Disabling (not removing) a track needs no renegotiation: the peer receives silence and black frames.
    for (const track of this.#localStream?.getAudioTracks() ?? []) track.enabled = !muted;
    for (const track of this.#localStream?.getVideoTracks() ?? []) track.enabled = !cameraOff;
    this.#announceMedia();
  }

  async #acquireMedia(): Promise<AcquiredMedia> {
    if (this.options.localStream) return { stream: this.options.localStream, warnings: [] };
    const request = { audio: true, video: true, ...this.options.media };
    return acquireLocalMedia(this.options.mediaDevices ?? globalThis.navigator?.mediaDevices, request);
  }

  #adoptMedia({ stream, warnings }: AcquiredMedia): void {
    this.#localStream = stream;
    this.#ownsLocalStream = stream !== this.options.localStream;
    for (const warning of warnings) this.#emitError(warning);
    this.setMedia({});
    this.events.emit('local-stream', { stream });
  }

  #handleSignaling(event: SignalingEvent): void {
    switch (event.type) {
      case 'joined':
        this.#selfId = event.self;
        if (event.iceServers?.length) this.#iceServers = [...this.#iceServers, ...event.iceServers];
        if (this.#state === CallState.Joining) this.#setState(CallState.Waiting);
        for (const peer of event.peers) this.#handlePeerJoined(peer);
        return;
      case 'peer-joined':
        this.#handlePeerJoined(event.peer);
        return;
      case 'peer-left':
        // A connected link does not need signaling; it ends when the peer says bye or the transport closes.
        if (event.peerId === this.#remote?.id && !this.#link?.connected) this.#dropPeer();
        return;
      case 'signal':
        if (this.#seenSignals.accept(`${event.from}/${event.id}`)) this.#handleSignal(event.from, event.payload);
        return;
      case 'connection':
        return; // media is peer to peer: losing the server does not interrupt the call
      case 'error': {
        const error = new P2PCallError(event.code, event.message, event.recoverable);
        if (event.recoverable) this.#emitError(error);
        else this.#fail(error);
        return;
      }
    }
  }

  #handlePeerJoined(peer: PeerInfo): void {
    if (peer.id === this.#selfId) return;
    if (peer.id === this.#remote?.id && this.#link && !this.#link.closed) return; // the same peer, rejoined signaling
    if (this.#remote) this.#dropPeer(); // a new participant id: the other person reloaded
    this.#remote = peer;
    this.events.emit('peer-join', { peer });
    // The smaller id offers; the other waits for the offer. Both sides agree without a round trip.
    this.#openLink(this.#selfId < peer.id);
  }

  #handleSignal(from: string, payload: SignalPayload): void {
    if (from !== this.#remote?.id) {
      // An offer from a peer announced only by its first signal (the relayed-room adapters can deliver it first).
      if (this.#remote || this.#selfId < from) return;
      this.#remote = { id: from, name: '' };
      this.events.emit('peer-join', { peer: this.#remote });
      this.#openLink(false);
    }
    if (!this.#link?.signal(payload)) {
      this.#emitError(new P2PCallError(ErrorCode.BadMessage, 'Dropped negotiation data the call does not understand.', true));
    }
  }

  #openLink(initiator: boolean): void {
    const link = new PeerLink({
      initiator,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy,
      stream: this.#localStream,
    });
    this.#link = link;
    const remoteId = this.#remote!.id;
    link.events.on('signal', (payload) => this.options.signaling.send(remoteId, this.#nextMessageId(), payload));
    link.events.on('connect', () => {
      this.#setState(CallState.Connected);
      this.#announceMedia();
    });
    link.events.on('stream', (stream) => {
      this.#remoteStream = stream;
      this.events.emit('remote-stream', { stream });
    });
    link.events.on('message', (data) => this.#handlePeerMessage(data));
    link.events.on('error', (error) => this.#emitError(error));
    link.events.on('close', () => {
      if (link === this.#link) this.#dropPeer();
    });
    this.#setState(CallState.Connecting);
  }

  #handlePeerMessage(data: string | Uint8Array): void {
    const message = typeof data === 'string' ? parsePeerMessage(data) : undefined;
    if (!message) {
      this.#emitError(new P2PCallError(ErrorCode.BadMessage, 'Dropped a malformed message from the peer.', true));
      return;
    }
    switch (message.t) {
      case 'media':
        this.events.emit('remote-media', { muted: message.muted, cameraOff: message.cameraOff });
        return;
      case 'bye':
        this.#dropPeer();
        return;
    }
  }

  /** Forgets the current peer and its link; back to waiting for someone to (re)join. */
  #dropPeer(): void {
    const link = this.#link;
    const peer = this.#remote;
    this.#link = undefined;
    this.#remote = undefined;
    this.#remoteStream = undefined;
    link?.destroy();
    if (peer) this.events.emit('peer-leave', { peer });
    if (isActive(this.#state) && this.#state !== CallState.Joining) this.#setState(CallState.Waiting);
  }

  #announceMedia(): void {
    const detail = { muted: this.muted, cameraOff: this.cameraOff };
    this.events.emit('local-media', detail);
    this.#sendToPeer({ t: 'media', ...detail });
  }

  #sendToPeer(message: PeerMessage): void {
    this.#link?.send(encodePeerMessage(message));
  }

  #nextMessageId(): string {
    return `${this.#messagePrefix}-${++this.#messageCounter}`;
  }

  #fail(error: P2PCallError): void {
    this.#teardown();
    this.#setState(CallState.Error);
    this.#emitError(error);
  }

  #teardown(): void {
    this.#generation++;
    this.#sendToPeer({ t: 'bye' });
    const link = this.#link;
    this.#link = undefined;
    this.#remote = undefined;
    this.#remoteStream = undefined;
    link?.destroy();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.options.signaling.leave();
    if (this.#ownsLocalStream) stopStream(this.#localStream);
    this.#localStream = undefined;
    this.#seenSignals.clear();
  }

  #setState(state: CallState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.events.emit('state-change', { state, previous });
  }

  #emitError(error: P2PCallError): void {
    this.events.emit('error', error.toDetail());
  }
}

function asCallError(error: unknown, code: ErrorDetail['code'] = ErrorCode.MediaFailed): P2PCallError {
  return error instanceof P2PCallError ? error : new P2PCallError(code, String(error), false, { cause: error });
}
