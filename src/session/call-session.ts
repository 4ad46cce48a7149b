/**
 * Floor 2: one two-person call, free of the DOM. It owns the local media, one signaling adapter and at most one
 * PeerLink, moves through CallState, and reports everything on a typed mitt emitter (the event map in events.ts).
 *
 * The flow of a call: join() -> media -> signaling.join -> `joined` (waiting) -> `peer-joined` -> PeerLink
 * (the participant with the smaller id makes the offer, so both sides never offer at once) -> negotiation through
 * signaling -> `connect` (connected) -> remote stream.
 *
 * Recovery: once connected, the call needs no server. When the media path breaks (ICE failed, or disconnected
 * with no bytes for a few seconds, or the transport closed without a `bye`) the offerer builds a fresh connection
 * with every current track and negotiates it through signaling; the answerer asks it to (a `restart` signal).
 * Every signal names the connection it belongs to (`link`), so nothing from a replaced connection is applied to
 * its successor. A peer that reloads is recognised the same way: it has no connection, so it asks for one.
 */
import mitt from 'mitt';
import { ErrorCode, P2PCallError, type ErrorDetail } from '../errors.js';
import type { CallEventMap, ReconnectReason } from '../session/call-events.js';
import type { PeerInfo, SignalingAdapter, SignalingEvent, SignalPayload } from '../signaling/signaling-adapter.js';
import { tokenSubject } from '../signaling/join-token.js';
import { CallState, isActive } from './call-state.js';
import { DeviceRecovery } from './device-recovery.js';
import { DuplicateFilter } from './duplicate-filter.js';
import { randomId } from './ids.js';
import { LinkWatch } from './link-watch.js';
import {
  acquireLocalMedia,
  acquireTrack,
  stopStream,
  type AcquiredMedia,
  type DeviceChoice,
  type MediaRequest,
} from './media.js';
import { PeerLink, type PeerLinkOptions } from './peer-link.js';
import { SpareLink } from './spare-link.js';
import { DEFAULT_RECOVERY_TIMEOUT_MS, RecoveryClock } from './recovery-clock.js';
import type { FileOfferDetail, FileTransferResult } from './file-transfer/file-events.js';
import { FileChannel } from './file-transfer/file-channel.js';
import { checkedFileLimits, DEFAULT_FILE_LIMITS, type FileLimits } from './file-transfer/file-limits.js';
import type { FileTransferSink } from './file-transfer/file-transfers.js';
import {
  encodePeerMessage,
  MAX_CHAT_LENGTH,
  MAX_MESSAGE_BYTES,
  parsePeerMessage,
  type CandidateType,
  type PeerMessage,
} from './peer-messages.js';
import { applyRelayPolicy, hasTurnServer, isRelayCandidate, type RelayPolicy } from './relay-policy.js';
import type { QualityMonitor } from './quality-monitor.js';
import { RemoteStreams, type RemoteStreamChanges } from './remote-streams.js';
import { RelayGuard } from './relay-guard.js';
import type { SelectedRoute } from './route.js';
import { safeDisplayName } from './safe-text.js';
import type { VerificationExchange, VerificationMessage } from './verification/verification-exchange.js';

/** The negotiated id of the file-transfer channel; far above the ids browsers assign to in-band channels. */
const FILE_CHANNEL_ID = 1000;
/** How often to look for the selected candidate pair before giving up on reporting the route (200 ms apart). */
const ROUTE_ATTEMPTS = 25;
/** How long a new connection may sit with ICE not even checking before it is replaced (see #watchForStall). */
const STALL_TIMEOUT_MS = 10_000;
/**
 * How long a path through the other side's relay may stand under relay="forbid" before the call ends: long enough
 * for a direct pair that succeeds a moment later to take over.
 */
const FORBIDDEN_ROUTE_GRACE_MS = 1500;
/** Quality sampling starts a second after connect: its code is not needed before, and stays out of the first load. */
const loadLinkServices = () => import('./link-services.js');
export const DEFAULT_MAX_FILE_SIZE = DEFAULT_FILE_LIMITS.maxFileSize;

interface LocalShare {
  stream: MediaStream;
  track: MediaStreamTrack;
  /** Streams the session captured itself (shareScreen) are stopped with the share; host streams are not. */
  owned: boolean;
  handleEnded: () => void;
}

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
}

/** The session's own signal (not the peer library's): the answerer asks the offerer for a fresh connection. */
const RESTART = 'restart';

export class CallSession {
  readonly events = mitt<CallEventMap>();
  readonly peerId: string;
  #state: CallState = CallState.Idle;
  #selfId: string;
  #localStream?: MediaStream;
  #ownsLocalStream = false;
  readonly #remoteStreams = new RemoteStreams();
  #remote?: PeerInfo;
  #link?: PeerLink;
  readonly #spare = new SpareLink();
  #files?: FileChannel;
  #localShare?: LocalShare;
  readonly #refusedOffers = new Set<string>();
  #verification?: VerificationExchange;
  /** Verification messages that arrived before the exchange's code did, for the current link. */
  #verificationInbox: VerificationMessage[] = [];
  #verificationCode?: string;
  #verified = false;
  #verifiedByPeer = false;
  #route?: string;
  #routeRetry?: ReturnType<typeof setTimeout>;
  /** Under relay="forbid": the other side's relay candidates, dropped and remembered (see relay-guard.ts). */
  #relayGuard?: RelayGuard;
  /** The other side's end of the path, as it reported it (`route` peer message), and this side's as last sent. */
  #peerEnd?: CandidateType;
  #sentEnd?: string;
  #forbiddenRouteTimer?: ReturnType<typeof setTimeout>;
  /** Watches the connected link for a media path that died without closing. */
  #linkWatch?: LinkWatch;
  #stallTimer?: ReturnType<typeof setTimeout>;
  /** Set while a broken media path is being replaced. */
  #recovery?: RecoveryClock;
  /** The remote is in the room as far as signaling knows (false after `peer-left` or `bye`). */
  #remotePresent = false;
  /** The current remote was connected at least once: a loss then shows as `reconnecting`, not `connecting`. */
  #wasConnected = false;
  #devices?: DeviceRecovery;
  #fileLimits: FileLimits;
  /** One-way delay budget in ms for `quality` events (0: none); may change during the call. */
  latencyBudget: number;
  #quality?: QualityMonitor;
  /** Bumped by every device switch so only the latest of two quick switches lands. */
  #switches = 0;
  #muted: boolean;
  #cameraOff: boolean;
  /** TURN/STUN servers the signaling server handed out with `joined` (short-lived credentials); replaced on rejoin. */
  #serverIceServers: RTCIceServer[] = [];
  #warnedNoTurn = false;
  #unsubscribe?: () => void;
  /** Bumped by every join/leave so an await that resumes after a leave() knows it is stale. */
  #generation = 0;
  #messageCounter = 0;
  readonly #messagePrefix = randomId(4);
  readonly #seenSignals = new DuplicateFilter();

  constructor(private readonly options: CallSessionOptions) {
    this.peerId = options.peerId ?? tokenSubject(options.token) ?? randomId();
    this.#selfId = this.peerId;
    this.#muted = options.muted ?? false;
    this.#cameraOff = options.cameraOff ?? false;
    this.#fileLimits = checkedFileLimits(DEFAULT_FILE_LIMITS, options);
    this.latencyBudget = options.latencyBudget ?? 0;
  }

  get state(): CallState {
    return this.#state;
  }

  /** What this side accepts from the other (and the largest file it sends); changes apply to the next offer. */
  get fileLimits(): Readonly<FileLimits> {
    return this.#fileLimits;
  }

  /** Changes some of the file limits. Throws an `invalid-config` P2PCallError (and changes nothing) for a bad value. */
  setFileLimits(limits: Partial<FileLimits>): void {
    this.#fileLimits = checkedFileLimits(this.#fileLimits, limits);
  }

  /** Largest file sent or accepted, in bytes (`setFileLimits({maxFileSize})`). */
  get maxFileSize(): number {
    return this.#fileLimits.maxFileSize;
  }

  set maxFileSize(maxFileSize: number) {
    this.setFileLimits({ maxFileSize });
  }

  get localStream(): MediaStream | undefined {
    return this.#localStream;
  }

  get remoteStream(): MediaStream | undefined {
    return this.#remoteStreams.camera;
  }

  /** The auxiliary stream this side is sharing. */
  get localShareStream(): MediaStream | undefined {
    return this.#localShare?.stream;
  }

  /** The auxiliary stream the other side is sharing. */
  get remoteShareStream(): MediaStream | undefined {
    return this.#remoteStreams.aux;
  }

  /** The code both people compare (e.g. "123 456"), once both sides exchanged their verification data. */
  get verificationCode(): string | undefined {
    return this.#verificationCode;
  }

  /**
   * True once this side's person (or host) confirmed, by `verify()`, that the codes match; reset when the code
   * changes. Only this side can set it: the other side's confirmation is `verifiedByPeer`.
   */
  get verified(): boolean {
    return this.#verified;
  }

  /**
   * True once the other side said its person confirmed the current code. Information only: whoever sits in the middle
   * can say it too, so it never marks this side verified. Reset when the code changes.
   */
  get verifiedByPeer(): boolean {
    return this.#verifiedByPeer;
  }

  /** The peer connection, for read-only inspection (getStats); undefined between peers. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.#link?.connection;
  }

  /**
   * Marks the call verified: the two people compared the code (out loud, or the host compared it through its
   * own authenticated channel) and it matched. Tells the other side, which shows it as a hint, not as verified.
   */
  verify(): void {
    const code = this.#verificationCode;
    if (!code) {
      this.#emitError(new P2PCallError(ErrorCode.NotConnected, 'There is no verification code yet.', true));
      return;
    }
    this.#verified = true;
    this.#sendToPeer({ t: 'verified', code });
    this.events.emit('verified', { code, by: 'local' });
  }

  /** True while the data channel to the peer is open. */
  get connected(): boolean {
    return Boolean(this.#link?.connected);
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
    this.#prepareSpareLink(); // while the signaling connection opens
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

  /**
   * Switches the camera or microphone during the call. The new device's track replaces the old one on the same
   * sender (replaceTrack: no renegotiation), keeps the muted/camera-off state, and the old device is released.
   * Failures (busy, unplugged) are reported as recoverable errors and the old device keeps working.
   */
  async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const stream = this.#localStream;
    if (!stream || !this.#ownsLocalStream) {
      const reason = stream ? 'the host supplied the local stream' : 'there is no call';
      this.#emitError(new P2PCallError(ErrorCode.InvalidConfig, `Cannot switch the ${kind}: ${reason}.`, true));
      return;
    }
    const generation = this.#generation;
    const attempt = ++this.#switches;
    let track: MediaStreamTrack;
    try {
      track = await acquireTrack(this.options.mediaDevices ?? globalThis.navigator?.mediaDevices, kind, deviceId);
    } catch (error) {
      if (generation === this.#generation) this.#emitError(asCallError(error));
      return;
    }
    if (generation !== this.#generation || attempt !== this.#switches) {
      track.stop(); // left the call, or a later switch superseded this one
      return;
    }
    const previous = kind === 'camera' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
    track.enabled = kind === 'camera' ? !this.#cameraOff : !this.#muted;
    if (previous) {
      stream.removeTrack(previous);
      previous.stop(); // stop() fires no `ended`: device recovery does not mistake the switch for an unplug
    }
    stream.addTrack(track);
    this.#devices?.watch(track);
    // The same sender when there was a track of this kind (no renegotiation); else a new one.
    this.#link?.setLocalTrack(track);
    this.#announceMedia();
  }

  /**
   * Shares the screen (or a window or tab) as the auxiliary stream, next to the camera. The person picks what to
   * share in the browser's own dialog; cancelling it is reported as a recoverable `permission-denied`.
   */
  async shareScreen(): Promise<void> {
    const devices = this.options.mediaDevices ?? globalThis.navigator?.mediaDevices;
    if (!devices?.getDisplayMedia) {
      this.#emitError(new P2PCallError(ErrorCode.Unsupported, 'This browser cannot share the screen.', true));
      return;
    }
    let stream: MediaStream;
    try {
      stream = await devices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      const denied = error instanceof Error && error.name === 'NotAllowedError';
      this.#emitError(
        denied
          ? new P2PCallError(ErrorCode.PermissionDenied, 'Screen sharing was cancelled or blocked.', true, {
              cause: error,
            })
          : new P2PCallError(ErrorCode.MediaFailed, `Screen sharing failed: ${String(error)}`, true, { cause: error }),
      );
      return;
    }
    const [track] = stream.getVideoTracks();
    if (track && 'contentHint' in track) track.contentHint = 'detail'; // favour sharp text over smooth motion
    this.shareStream(stream, { owned: true });
  }

  /**
   * Shares any video stream the host makes (a canvas of an editor, a PDF viewer, a whiteboard) as the auxiliary
   * stream. Replaces a running share. The host keeps ownership of the stream unless `owned` is set.
   */
  shareStream(stream: MediaStream, { owned = false } = {}): void {
    const [track] = stream.getVideoTracks();
    if (!track) {
      this.#emitError(
        new P2PCallError(ErrorCode.InvalidConfig, 'shareStream() needs a stream with a video track.', true),
      );
      return;
    }
    if (!isActive(this.#state)) {
      if (owned) stopStream(stream);
      this.#emitError(new P2PCallError(ErrorCode.NotConnected, 'Join the call before sharing.', true));
      return;
    }
    if (this.#localShare) this.stopSharing();
    // The browser's own "Stop sharing" button ends the track: treat it as stopSharing().
    const handleEnded = () => {
      if (this.#localShare?.track === track) this.stopSharing();
    };
    track.addEventListener('ended', handleEnded);
    this.#localShare = { stream, track, owned, handleEnded };
    this.events.emit('share-start', { side: 'local', stream });
    this.#publishShare();
  }

  /** Stops the auxiliary stream (no-op when nothing is shared). The camera keeps flowing. */
  stopSharing(): void {
    const share = this.#localShare;
    if (!share) return;
    this.#localShare = undefined;
    share.track.removeEventListener('ended', share.handleEnded);
    if (share.owned) stopStream(share.stream);
    this.#publishShare();
    this.events.emit('share-end', { side: 'local', stream: share.stream });
  }

  /**
   * Sends host application data to the peer: any JSON value, or binary (ArrayBuffer / typed array). Ordered and
   * reliable. Throws a P2PCallError when not connected or when the message is over 64 KiB.
   */
  send(data: unknown): void {
    const link = this.#requireLink('send()');
    if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
      const bytes =
        data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (bytes.byteLength > MAX_MESSAGE_BYTES) throw tooLarge(bytes.byteLength);
      link.send(bytes);
      return;
    }
    let text: string | undefined;
    try {
      text = data === undefined ? undefined : JSON.stringify({ t: 'data', data } satisfies PeerMessage);
    } catch {
      text = undefined; // a cycle or a BigInt
    }
    if (text === undefined || typeof data === 'function' || typeof data === 'symbol') {
      throw new P2PCallError(ErrorCode.BadMessage, 'send() needs a JSON-serialisable value or binary data.', true);
    }
    if (text.length > MAX_MESSAGE_BYTES) throw tooLarge(text.length);
    link.send(text);
  }

  /** Sends a chat line (trimmed, at most 2,000 characters). Throws when not connected. */
  sendChat(text: string): void {
    const line = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!line) return;
    this.#requireLink('sendChat()').send(encodePeerMessage({ t: 'chat', text: line }));
    this.events.emit('chat', { text: line, from: 'local', name: this.options.name ?? '', at: Date.now() });
  }

  /**
   * Offers a file (or any Blob) to the peer and sends it once accepted, with progress events both ways. Resolves
   * with the outcome; never rejects.
   */
  async sendFile(file: Blob, name = file instanceof File ? file.name : 'file'): Promise<FileTransferResult> {
    const files = this.#link?.connected ? this.#files : undefined;
    if (!files) {
      this.#emitError(new P2PCallError(ErrorCode.NotConnected, 'Files can be sent once the call is connected.', true));
      return { id: '', status: 'failed', reason: 'not-connected' };
    }
    return files.send(file, name);
  }

  /** Cancels a file transfer in either direction. */
  cancelFile(id: string): boolean {
    return this.#files?.cancel(id) ?? false;
  }

  /** Refuses an offered file; call it from a `file-offer` listener (the element does on `preventDefault()`). */
  refuseFile(id: string): void {
    this.#refusedOffers.add(id);
  }

  #requireLink(what: string): PeerLink {
    const link = this.#link;
    if (!link?.connected) throw new P2PCallError(ErrorCode.NotConnected, `${what} needs a connected call.`, true);
    return link;
  }

  /** Tells the peer what is (or is no longer) on the auxiliary sender. */
  #publishShare(): void {
    const link = this.#link;
    if (!link?.connected) return; // sent when the link connects
    const stream = link.setAuxTrack(this.#localShare?.track ?? null);
    this.#sendToPeer({ t: 'share', stream, active: Boolean(this.#localShare) });
  }

  #fileSink(): FileTransferSink {
    return {
      offer: (detail) => {
        if (this.options.acceptFile) return this.options.acceptFile(detail);
        this.events.emit('file-offer', detail);
        return !this.#refusedOffers.delete(detail.id);
      },
      progress: (detail) => this.events.emit('file-progress', detail),
      received: (detail) => this.events.emit('file-received', detail),
      sent: (detail) => this.events.emit('file-sent', detail),
      cancelled: (detail) => this.events.emit('file-cancel', detail),
      error: (error) => this.#emitError(error),
    };
  }

  #applyRemoteStreams(changes: RemoteStreamChanges): void {
    if (changes.auxEnded) this.events.emit('share-end', { side: 'remote', stream: changes.auxEnded });
    if (changes.camera) this.events.emit('remote-stream', { stream: changes.camera });
    if (changes.auxStarted) this.events.emit('share-start', { side: 'remote', stream: changes.auxStarted });
  }

  async #acquireMedia(): Promise<AcquiredMedia> {
    if (this.options.localStream) return { stream: this.options.localStream, warnings: [] };
    const captured = await Promise.resolve(this.options.capturedMedia).catch(() => undefined);
    if (captured?.stream.getTracks().some((track) => track.readyState === 'live')) return captured;
    const request = { audio: true, video: true, ...this.options.media };
    return acquireLocalMedia(
      this.options.mediaDevices ?? globalThis.navigator?.mediaDevices,
      request,
      this.options.devices,
    );
  }

  #adoptMedia({ stream, warnings }: AcquiredMedia): void {
    this.#localStream = stream;
    this.#ownsLocalStream = stream !== this.options.localStream;
    // A host's own stream is the host's to look after; devices this session opened, it keeps alive.
    if (this.#ownsLocalStream) {
      this.#devices = new DeviceRecovery(stream, this.options.mediaDevices ?? globalThis.navigator?.mediaDevices, {
        replaced: (track) => {
          track.enabled = track.kind === 'audio' ? !this.#muted : !this.#cameraOff;
          this.#link?.setLocalTrack(track);
          this.#announceMedia();
        },
        lost: (_kind, error) => {
          this.#emitError(error);
          this.#announceMedia();
        },
      });
    }
    for (const warning of warnings) this.#emitError(warning);
    this.setMedia({});
    this.events.emit('local-stream', { stream });
  }

  #handleSignaling(event: SignalingEvent): void {
    switch (event.type) {
      case 'joined':
        this.#selfId = event.self;
        this.#serverIceServers = event.iceServers ?? [];
        if (this.#state === CallState.Joining) this.#setState(CallState.Waiting);
        for (const peer of event.peers) this.#handlePeerJoined(peer);
        return;
      case 'peer-joined':
        this.#handlePeerJoined(event.peer);
        return;
      case 'peer-left':
        // A connected link does not need signaling; it ends when the peer says bye or the transport closes.
        if (event.peerId !== this.#remote?.id) return;
        this.#remotePresent = false;
        if (!this.#link?.connected) this.#dropPeer();
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

  #handlePeerJoined(announced: PeerInfo): void {
    if (announced.id === this.#selfId) return;
    const peer = { id: announced.id, name: safeDisplayName(announced.name) };
    if (peer.id === this.#remote?.id) {
      // The same participant, back in signaling: after a server restart (its link is fine: nothing to do), or
      // after a reload or a broken path (no working link: connect again).
      this.#remotePresent = true;
      if (!this.#link?.connected) this.#connectToRemote();
      return;
    }
    if (this.#remote) this.#dropPeer(); // a new participant id: the other person reloaded
    this.#remote = peer;
    this.#remotePresent = true;
    // The link first: the offer starts before the listeners of the state change (the element re-renders) run.
    this.#connectToRemote();
    this.events.emit('peer-join', { peer });
    this.#setState(CallState.Connecting);
  }

  /** The offerer (smaller id: both sides agree without a round trip) opens a link; the answerer asks for one. */
  #connectToRemote(): void {
    if (this.#isOfferer()) {
      if (!this.#link || this.#link.closed || this.#recovery) this.#openLink(randomId(), true);
    } else {
      this.#sendSignal({ type: RESTART, link: this.#link?.id });
    }
  }

  #isOfferer(): boolean {
    return Boolean(this.#remote) && this.#selfId < this.#remote!.id;
  }

  #handleSignal(from: string, { link: linkId, ...payload }: SignalPayload): void {
    if (from !== this.#remote?.id) {
      // An offer from a peer announced only by its first signal (the relayed-room adapters can deliver it first).
      if (this.#remote || this.#selfId < from) return;
      this.#remote = { id: from, name: '' };
      this.events.emit('peer-join', { peer: this.#remote });
      this.#setState(CallState.Connecting);
    }
    this.#remotePresent = true;
    if (payload.type === RESTART) {
      this.#handleRestartRequest(typeof linkId === 'string' ? linkId : undefined);
      return;
    }
    if (typeof linkId !== 'string') {
      this.#emitError(
        new P2PCallError(ErrorCode.BadMessage, 'Dropped negotiation data that names no connection.', true),
      );
      return;
    }
    if (linkId !== this.#link?.id) {
      // A new connection from the offerer (first contact, recovery, or it reloaded) replaces the current one.
      // Anything else for an unknown connection belongs to one already replaced: dropped.
      if (payload.type !== 'offer' || this.#isOfferer()) return;
      // The offerer noticed a broken path first (or this side reloaded): recover along with it.
      if (this.#wasConnected && !this.#recovery)
        this.#beginRecovery('peer-request')?.attempt(() => this.#attemptRecovery());
      this.#openLink(linkId, false);
    }
    const allowed = this.#relayGuard ? this.#relayGuard.filter(payload) : payload;
    if (!allowed) {
      if (this.#link?.connected) void this.#reportRoute(this.#link); // is the path already through that relay?
      return;
    }
    if (!this.#link?.signal(allowed)) {
      this.#emitError(
        new P2PCallError(ErrorCode.BadMessage, 'Dropped negotiation data the call does not understand.', true),
      );
    }
  }

  /** The answerer has no working connection with the id it names (or none at all): the offerer makes a fresh one. */
  #handleRestartRequest(linkId: string | undefined): void {
    if (!this.#isOfferer()) return;
    const link = this.#link && !this.#link.closed ? this.#link : undefined;
    if (link && linkId !== undefined && linkId !== link.id) return; // about a connection already replaced
    if (link && !link.connected && linkId === undefined && !this.#recovery) return; // first contact: our offer is on its way
    if (this.#recovery) this.#attemptRecovery();
    else if (link)
      this.#startRecovery('peer-request'); // the peer lost this connection, or reloaded and has none
    else this.#openLink(randomId(), true);
  }

  /** Starts replacing a broken media path. A recovery already running makes its next attempt on its own timer. */
  #startRecovery(reason: ReconnectReason): void {
    if (this.#recovery || !this.#beginRecovery(reason)) return;
    this.#attemptRecovery();
  }

  /** The clock, the `reconnecting` event and the state of a recovery; undefined when there is nobody to recover. */
  #beginRecovery(reason: ReconnectReason): RecoveryClock | undefined {
    if (!this.#remote || !isActive(this.#state)) return undefined;
    const timeout = this.options.recoveryTimeout ?? DEFAULT_RECOVERY_TIMEOUT_MS;
    const recovery = new RecoveryClock(timeout, () => this.#giveUpRecovery(timeout));
    this.#recovery = recovery;
    this.events.emit('reconnecting', { reason });
    this.#setState(this.#wasConnected ? CallState.Reconnecting : CallState.Connecting);
    return recovery;
  }

  #attemptRecovery(): void {
    const recovery = this.#recovery;
    if (!recovery || !this.#remote) return;
    recovery.attempt(() => this.#attemptRecovery());
    if (this.#isOfferer()) {
      this.#openLink(randomId(), true);
    } else {
      const previous = this.#link?.id;
      this.#replaceLink(undefined);
      this.#sendSignal({ type: RESTART, link: previous });
    }
  }

  #giveUpRecovery(timeoutMs: number): void {
    if (!this.#recovery) return;
    const name = this.#remote?.name || 'the other person';
    this.#dropPeer();
    this.#emitError(
      new P2PCallError(
        ErrorCode.ConnectionLost,
        `The connection to ${name} was lost and could not be restored within ${Math.round(timeoutMs / 1000)} s. The call resumes when they are back.`,
        true,
      ),
    );
  }

  #openLink(id: string, initiator: boolean): void {
    const relay = this.options.relay ?? 'allow';
    if (relay === 'only' && !hasTurnServer(this.#iceServers()) && !this.#warnedNoTurn) {
      // Checked here, not at join: the signaling server may hand out TURN credentials with `joined`.
      this.#warnedNoTurn = true;
      this.#emitError(
        new P2PCallError(
          ErrorCode.InvalidConfig,
          'relay="only" needs a TURN server (ice-servers, or credentials from the signaling server); the call cannot connect without one.',
          true,
        ),
      );
    }
    const options = this.#linkOptions();
    const link = this.#spare.take(options) ?? new PeerLink(options);
    this.#replaceLink(link);
    // Looked up once connected (below), then again whenever ICE changes state on the live connection.
    link.connection.addEventListener('iceconnectionstatechange', () => {
      if (link.connected) void this.#reportRoute(link);
    });
    // Created on both sides before negotiation, so the channel opens with the connection and never renegotiates.
    this.#files = new FileChannel(
      link.openNegotiatedChannel('p2p-call-files', FILE_CHANNEL_ID),
      this.#fileSink(),
      () => this.#fileLimits,
    );
    link.events.on('signal', (payload) => {
      if (relay === 'forbid' && isRelayCandidate(payload)) return;
      if (link === this.#link) this.#sendSignal({ ...payload, link: link.id });
    });
    link.events.on('connect', () => {
      this.#wasConnected = true;
      this.#linkWatch = new LinkWatch(link.connection, (reason) => {
        if (link === this.#link) this.#startRecovery(reason);
      });
      const recovery = this.#recovery;
      this.#recovery = undefined;
      if (recovery) this.events.emit('recovered', { durationMs: recovery.finish(), attempts: recovery.attempts });
      this.#setState(CallState.Connected);
      this.#announceMedia();
      void this.#startVerification(link);
      if (this.#localShare) this.#publishShare();
      void this.#reportRoute(link);
      void this.#monitorQuality(link);
    });
    link.events.on('stream', (stream) => this.#applyRemoteStreams(this.#remoteStreams.addStream(stream)));
    link.events.on('message', (data) => this.#handlePeerMessage(data));
    link.events.on('error', (error) => this.#emitError(error));
    link.events.on('close', () => {
      if (link !== this.#link) return; // replaced on purpose
      // Closed without a `bye`: the path broke. Recover while the peer is still in the room.
      if (this.#remotePresent) this.#startRecovery('transport-closed');
      else this.#dropPeer();
    });
    link.start(id, initiator);
    this.#watchForStall(link);
    if (this.#state !== CallState.Reconnecting) this.#setState(CallState.Connecting);
  }

  /**
   * A new link whose ICE never starts checking (no candidate from the other side arrived, or none was applied) would
   * wait in `connecting` forever: seen a few times in a hundred fresh calls, cause not yet found. After
   * STALL_TIMEOUT_MS with both descriptions applied, this side's candidates all gathered and ICE still `new`, the
   * link is replaced, like a broken one. (A side still gathering may be waiting for a slow TURN allocation: left be.)
   */
  #watchForStall(link: PeerLink): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = setTimeout(() => {
      const { signalingState, iceConnectionState, iceGatheringState } = link.connection;
      const stalled = signalingState === 'stable' && iceConnectionState === 'new' && iceGatheringState === 'complete';
      if (link !== this.#link || link.connected || !stalled) return;
      this.#startRecovery('ice-stalled');
    }, STALL_TIMEOUT_MS);
  }

  /** Runs the verification code exchange on `link` once its code is here, with what the peer sent meanwhile. */
  async #startVerification(link: PeerLink): Promise<void> {
    const { verifyConnection } = await loadLinkServices();
    if (link !== this.#link || this.#verification) return;
    this.#verification = verifyConnection(link.connection, {
      post: (message) => this.#sendToPeer(message),
      result: (result) => {
        this.#clearVerification();
        this.#verificationCode = result.code;
        this.events.emit('verification', result);
      },
      reset: () => this.#clearVerification(),
      error: (error) => this.#emitError(error),
    });
    for (const message of this.#verificationInbox.splice(0)) void this.#verification.handle(message);
    await this.#verification.start();
  }

  /** Samples the connection's quality while `link` is the live one (the monitor's code is loaded when first needed). */
  async #monitorQuality(link: PeerLink): Promise<void> {
    const { QualityMonitor } = await loadLinkServices();
    if (link !== this.#link || !link.connected || this.#quality) return;
    this.#quality = new QualityMonitor(
      () => link.connection.getStats(),
      (detail) => this.events.emit('quality', detail),
      () => this.latencyBudget,
    );
    this.#quality.start();
  }

  /** What a new link is built with: the local stream, and the ICE servers and policy the relay setting allows. */
  #linkOptions(): PeerLinkOptions {
    const ice = applyRelayPolicy(this.#iceServers(), this.options.relay ?? 'allow');
    return {
      iceServers: ice.iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy ?? ice.iceTransportPolicy,
      stream: this.#localStream,
    };
  }

  /** The host's ICE servers and those the signaling server handed out with `joined`, before the relay policy. */
  #iceServers(): RTCIceServer[] {
    return [...(this.options.iceServers ?? []), ...this.#serverIceServers];
  }

  /** Builds the next link while nobody is there to connect to (see SpareLink). */
  #prepareSpareLink(): void {
    if (!this.#link && isActive(this.#state)) this.#spare.prepare(this.#linkOptions());
  }

  /**
   * Makes `link` the current connection (or none), closing the previous one and what rode on it: its file
   * transfers end, its verification code is void, the peer's streams from it are forgotten. The peer stays.
   */
  #replaceLink(link: PeerLink | undefined): void {
    const previous = this.#link;
    this.#link = link;
    clearTimeout(this.#stallTimer);
    this.#linkWatch?.stop();
    this.#linkWatch = undefined;
    this.#verification?.close();
    this.#verification = undefined;
    this.#verificationInbox = [];
    this.#clearVerification();
    this.#route = undefined;
    clearTimeout(this.#routeRetry);
    clearTimeout(this.#forbiddenRouteTimer);
    this.#forbiddenRouteTimer = undefined;
    this.#relayGuard = link && this.options.relay === 'forbid' ? new RelayGuard() : undefined;
    this.#peerEnd = undefined;
    this.#sentEnd = undefined;
    this.#quality?.stop();
    this.#quality = undefined;
    this.#files?.close();
    this.#files = undefined;
    if (previous) {
      this.#applyRemoteStreams(this.#remoteStreams.clear());
      previous.destroy();
    }
  }

  #sendSignal(payload: SignalPayload): void {
    if (this.#remote) this.options.signaling.send(this.#remote.id, this.#nextMessageId(), payload);
  }

  #handlePeerMessage(data: string | Uint8Array): void {
    if (typeof data !== 'string') {
      // Binary frames on the main channel are the host's app data.
      this.events.emit('data', { data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) });
      return;
    }
    const message = parsePeerMessage(data);
    if (!message) {
      this.#emitError(new P2PCallError(ErrorCode.BadMessage, 'Dropped a malformed message from the peer.', true));
      return;
    }
    switch (message.t) {
      case 'media':
        this.events.emit('remote-media', { muted: message.muted, cameraOff: message.cameraOff });
        this.#applyRemoteStreams(this.#remoteStreams.setCamera(message.stream));
        return;
      case 'share':
        this.#applyRemoteStreams(this.#remoteStreams.setAux(message.stream, message.active));
        return;
      case 'data':
        this.events.emit('data', { data: message.data });
        return;
      case 'verify-commit':
      case 'verify-reveal':
        if (this.#verification) void this.#verification.handle(message);
        else if (this.#verificationInbox.length < 4) this.#verificationInbox.push(message);
        return;
      case 'verified':
        // What the other side says its person did; this side is verified only by its own verify().
        if (message.code !== this.#verificationCode || this.#verifiedByPeer) return;
        this.#verifiedByPeer = true;
        this.events.emit('verified', { code: message.code, by: 'remote' });
        return;
      case 'chat':
        this.events.emit('chat', {
          text: message.text,
          from: 'remote',
          name: this.#remote?.name ?? '',
          at: Date.now(),
        });
        return;
      case 'route':
        this.#peerEnd = message.local;
        if (this.#link?.connected) void this.#reportRoute(this.#link);
        return;
      case 'bye':
        this.#remotePresent = false;
        this.#dropPeer();
        return;
    }
  }

  /** The code no longer stands for the connection (new certificates, or a new connection): nothing is verified. */
  #clearVerification(): void {
    this.#verificationCode = undefined;
    this.#verified = false;
    this.#verifiedByPeer = false;
  }

  /** Forgets the current peer and its link; back to waiting for someone to (re)join. */
  #dropPeer(): void {
    const peer = this.#remote;
    this.#closeLink();
    if (peer) this.events.emit('peer-leave', { peer });
    if (isActive(this.#state) && this.#state !== CallState.Joining) this.#setState(CallState.Waiting);
    this.#prepareSpareLink(); // for whoever comes (back) next
  }

  /** Emits `route` when the selected candidate pair is known or changes. */
  async #reportRoute(link: PeerLink, attempt = 0): Promise<void> {
    if (link !== this.#link || link.closed) return;
    clearTimeout(this.#routeRetry);
    const { selectedRoute } = await loadLinkServices();
    let route = await selectedRoute(link.connection).catch(() => undefined);
    if (link !== this.#link) return;
    if (!route) {
      // The selected pair can show up in getStats a moment after the channel opened: look again, a few times.
      if (attempt < ROUTE_ATTEMPTS) this.#routeRetry = setTimeout(() => void this.#reportRoute(link, attempt + 1), 200);
      return;
    }
    if (route.local !== this.#sentEnd) {
      this.#sentEnd = route.local;
      this.#sendToPeer({ t: 'route', local: route.local as CandidateType });
    }
    route = this.#withPeerEnd(route);
    if (this.#isForbidden(route)) this.#endIfStillForbidden(link);
    const key = `${route.route}/${route.local}/${route.remote}/${route.protocol}`;
    if (key === this.#route) return;
    this.#route = key;
    const { route: path, local, remote, protocol } = route;
    this.events.emit('route', { route: path, local, remote, protocol });
  }

  /**
   * The route with the other side's own word for its end, where this side could not tell it: a check from the
   * other side's relay arrives as a peer-reflexive candidate whose address the browser hides.
   */
  #withPeerEnd(route: SelectedRoute): SelectedRoute {
    const remote = this.#peerEnd;
    if (route.remote !== 'prflx' || !remote) return route;
    return { ...route, remote, route: route.local === 'relay' || remote === 'relay' ? 'relay' : 'direct' };
  }

  #isForbidden(route: SelectedRoute): boolean {
    const guard = this.#relayGuard;
    return Boolean(guard) && (route.route === 'relay' || guard!.isForbidden(route.remoteAddress, route.remotePort));
  }

  /** Under relay="forbid", a path through the other side's relay ends the call unless a direct one replaces it soon. */
  #endIfStillForbidden(link: PeerLink): void {
    if (this.#forbiddenRouteTimer !== undefined) return;
    this.#forbiddenRouteTimer = setTimeout(async () => {
      this.#forbiddenRouteTimer = undefined;
      const { selectedRoute } = await loadLinkServices();
      const route = await selectedRoute(link.connection).catch(() => undefined);
      if (link !== this.#link || !route || !this.#isForbidden(this.#withPeerEnd(route))) return;
      this.#fail(
        new P2PCallError(
          ErrorCode.RelayForbidden,
          'The only path to the other person goes through a relay (TURN server), and relay="forbid" does not allow one.',
        ),
      );
    }, FORBIDDEN_ROUTE_GRACE_MS);
  }

  /** Closes the link and forgets the peer (and any recovery for it). */
  #closeLink(): void {
    this.#recovery?.cancel();
    this.#recovery = undefined;
    this.#replaceLink(undefined);
    this.#applyRemoteStreams(this.#remoteStreams.clear());
    this.#remote = undefined;
    this.#remotePresent = false;
    this.#wasConnected = false;
  }

  #announceMedia(): void {
    const detail = { muted: this.muted, cameraOff: this.cameraOff };
    this.events.emit('local-media', detail);
    this.#sendToPeer({
      t: 'media',
      ...detail,
      stream: this.#localStream?.getTracks().length ? this.#localStream.id : '',
    });
  }

  #sendToPeer(message: PeerMessage): void {
    this.#link?.send(encodePeerMessage(message));
  }

  #nextMessageId(): string {
    return `${this.#messagePrefix}-${++this.#messageCounter}`;
  }

  /** Ends the call in the `error` state. The error is reported as not recoverable: this call does not go on. */
  #fail(error: P2PCallError): void {
    this.#teardown();
    this.#setState(CallState.Error);
    this.events.emit('error', { ...error.toDetail(), recoverable: false });
  }

  #teardown(): void {
    this.#generation++;
    this.#sendToPeer({ t: 'bye' });
    this.stopSharing();
    this.#closeLink();
    this.#spare.discard();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.options.signaling.leave();
    this.#devices?.stop();
    this.#devices = undefined;
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

function tooLarge(bytes: number): P2PCallError {
  return new P2PCallError(
    ErrorCode.MessageTooLarge,
    `send() takes at most ${MAX_MESSAGE_BYTES} bytes per message (got ${bytes}); use sendFile() for larger data.`,
    true,
  );
}

function asCallError(error: unknown, code: ErrorDetail['code'] = ErrorCode.MediaFailed): P2PCallError {
  return error instanceof P2PCallError ? error : new P2PCallError(code, String(error), false, { cause: error });
}
