/**
 * Floor 2: one call, free of the DOM. This class is the facade: its public methods are the call's API, and it wires
 * the parts that do the work: LocalMedia (camera and microphone), LocalShare (the auxiliary stream), PeerRoom (the
 * remote peers, one LinkSupervisor each: links, negotiation, recovery) and, per link, LinkServices (files,
 * verification, route, quality). Everything is reported on one typed mitt emitter (the map in call-events.ts).
 *
 * The flow of a call: join() -> media -> signaling.join -> `joined` (waiting) -> a peer arrives -> its supervisor
 * opens a link (the smaller id offers) -> negotiation through signaling -> the link connects (connected) -> streams.
 *
 * The state is never assigned: it is derived from facts (this side's phase, each peer's link) by deriveCallState,
 * recomputed whenever one changes (#update).
 */
import mitt from 'mitt';
import { ErrorCode, P2PCallError } from '../errors.js';
import type { PeerInfo, SignalingEvent, SignalPayload } from '../signaling/signaling-adapter.js';
import { tokenSubject } from '../signaling/join-token.js';
import type { CallEventMap } from './call-events.js';
import { CallState, deriveCallState, type SessionPhase } from './call-state.js';
import type { CallSessionOptions } from './call-session-options.js';
import type { FileTransferResult } from './file-transfer/file-events.js';
import { checkedFileLimits, DEFAULT_FILE_LIMITS, type FileLimits } from './file-transfer/file-limits.js';
import { FileOffers } from './file-transfer/file-offers.js';
import { randomId } from './ids.js';
import type { Link } from './link.js';
import { LinkFactory } from './link-factory.js';
import { LinkServices } from './link-services.js';
import { LinkSupervisor } from './link-supervisor.js';
import { asCallError, LocalMedia } from './local-media.js';
import { LocalShare } from './local-share.js';
import type { AcquiredMedia } from './media.js';
import { appDataFrame, chatLine } from './peer-channel.js';
import { createPeerLink } from './peer-link.js';
import { PeerRoom } from './peer-room.js';
import { DEFAULT_RECOVERY_TIMEOUT_MS } from './recovery-clock.js';

export type { CallSessionOptions } from './call-session-options.js';

/** People in a call, this side included. */
const CAPACITY = 2;

export class CallSession {
  readonly events = mitt<CallEventMap>();
  readonly peerId: string;
  /** One-way delay budget in ms for `quality` events (0: none); may change during the call. */
  latencyBudget: number;
  #phase: SessionPhase = 'idle';
  #state: CallState = CallState.Idle;
  /** Bumped by every join/leave so an await that resumes after a leave() knows it is stale. */
  #generation = 0;
  readonly #media: LocalMedia;
  readonly #share: LocalShare;
  readonly #room: PeerRoom;
  readonly #links: LinkFactory;
  #fileLimits: FileLimits;
  readonly #fileOffers: FileOffers;
  #unsubscribe?: () => void;
  #messageCounter = 0;
  readonly #messagePrefix = randomId(4);

  constructor(private readonly options: CallSessionOptions) {
    this.peerId = options.peerId ?? tokenSubject(options.token) ?? randomId();
    this.latencyBudget = options.latencyBudget ?? 0;
    this.#fileLimits = checkedFileLimits(DEFAULT_FILE_LIMITS, options);
    this.#fileOffers = new FileOffers(this.#emit, options.acceptFile);
    const emit = this.#emit;
    this.#links = new LinkFactory({
      createLink: options.createLink ?? createPeerLink,
      iceServers: options.iceServers ?? [],
      iceTransportPolicy: options.iceTransportPolicy,
      relay: options.relay ?? 'allow',
      stream: () => this.#media.stream,
      warn: (error) => emit('error', error.toDetail()),
    });
    this.#media = new LocalMedia(options, {
      emit,
      trackReplaced: (track) => this.#room.peers.forEach((peer) => peer.setLocalTrack(track)),
      changed: () => this.#room.peers.forEach((peer) => peer.announceMedia()),
    });
    this.#share = new LocalShare(() => this.#mediaDevices(), {
      emit,
      changed: () => this.#room.peers.forEach((peer) => peer.publishShare()),
    });
    this.#room = new PeerRoom(CAPACITY, {
      newSupervisor: (peer) => this.#newSupervisor(peer),
      emit,
      changed: () => this.#update(),
      vacated: () => this.#prepareSpareLink(),
    });
    this.#room.selfId = this.peerId;
  }

  get state(): CallState {
    return this.#state;
  }

  get localStream(): MediaStream | undefined {
    return this.#media.stream;
  }

  get remoteStream(): MediaStream | undefined {
    return this.#peer?.remoteCamera;
  }

  /** The auxiliary stream this side is sharing. */
  get localShareStream(): MediaStream | undefined {
    return this.#share.stream;
  }

  /** The auxiliary stream the other side is sharing. */
  get remoteShareStream(): MediaStream | undefined {
    return this.#peer?.remoteShare;
  }

  /** The other participant, once known. */
  get remotePeer(): PeerInfo | undefined {
    return this.#peer?.peer;
  }

  /** True while the data channel to the peer is open. */
  get connected(): boolean {
    return Boolean(this.#peer?.link?.connected);
  }

  /** The peer connection, for read-only inspection (getStats); undefined between peers. */
  get peerConnection(): RTCPeerConnection | undefined {
    return this.#peer?.link?.connection;
  }

  /** True when no audio leaves this side (muted, or no microphone). */
  get muted(): boolean {
    return this.#media.muted;
  }

  /** True when no video leaves this side (camera off, or no camera). */
  get cameraOff(): boolean {
    return this.#media.cameraOff;
  }

  /** The code both people compare (e.g. "123 456"), once both sides exchanged their verification data. */
  get verificationCode(): string | undefined {
    return this.#peer?.services?.code;
  }

  /**
   * True once this side's person (or host) confirmed, by `verify()`, that the codes match; reset when the code
   * changes. Only this side can set it: the other side's confirmation is `verifiedByPeer`.
   */
  get verified(): boolean {
    return this.#peer?.services?.verified ?? false;
  }

  /**
   * True once the other side said its person confirmed the current code. Information only: whoever sits in the middle
   * can say it too, so it never marks this side verified. Reset when the code changes.
   */
  get verifiedByPeer(): boolean {
    return this.#peer?.services?.verifiedByPeer ?? false;
  }

  /** What this side accepts from the other (and the largest file it sends); changes apply to the next offer. */
  get fileLimits(): Readonly<FileLimits> {
    return this.#fileLimits;
  }

  /** Largest file sent or accepted, in bytes (`setFileLimits({maxFileSize})`). */
  get maxFileSize(): number {
    return this.#fileLimits.maxFileSize;
  }

  set maxFileSize(maxFileSize: number) {
    this.setFileLimits({ maxFileSize });
  }

  /** Changes some of the file limits. Throws an `invalid-config` P2PCallError (and changes nothing) for a bad value. */
  setFileLimits(limits: Partial<FileLimits>): void {
    this.#fileLimits = checkedFileLimits(this.#fileLimits, limits);
  }

  /** Enters the room. Resolves when joined or failed; failures arrive as `error` events, never as a rejection. */
  async join(): Promise<void> {
    if (this.#active) return;
    const generation = ++this.#generation;
    this.#setPhase('joining');
    let media: AcquiredMedia;
    try {
      media = await this.#media.acquire();
    } catch (error) {
      if (generation === this.#generation) this.#fail(asCallError(error));
      return;
    }
    if (generation !== this.#generation) {
      this.#media.discard(media); // left while the camera prompt was open: release what the prompt granted
      return;
    }
    this.#media.adopt(media);
    this.#prepareSpareLink(); // while the signaling connection opens
    this.#unsubscribe = this.options.signaling.subscribe((event) => this.#handleSignaling(event));
    try {
      const { room, name = '', token } = this.options;
      this.options.signaling.join({ room, peerId: this.peerId, name, token });
    } catch (error) {
      this.#fail(asCallError(error, ErrorCode.SignalingUnavailable));
    }
  }

  /** Leaves the call: tells the peer, closes the connection, stops the camera and microphone. Safe to call twice. */
  leave(): void {
    if (!this.#active) return;
    this.#teardown();
    this.#setPhase('ended');
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
  setMedia(change: { muted?: boolean; cameraOff?: boolean }): void {
    this.#media.set(change);
  }

  /**
   * Switches the camera or microphone during the call (replaceTrack on the same sender: no renegotiation), keeping
   * the muted/camera-off state; the old device is released. Failures are recoverable errors; the old device stays.
   */
  async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    await this.#media.switchDevice(kind, deviceId);
  }

  /**
   * Shares the screen (or a window or tab) as the auxiliary stream, next to the camera. The person picks what to
   * share in the browser's own dialog; cancelling it is reported as a recoverable `permission-denied`.
   */
  async shareScreen(): Promise<void> {
    await this.#share.shareScreen(() => this.#shareRefusal());
  }

  /**
   * Shares any video stream the host makes (a canvas of an editor, a PDF viewer, a whiteboard) as the auxiliary
   * stream. Replaces a running share. The host keeps ownership of the stream unless `owned` is set.
   */
  shareStream(stream: MediaStream, { owned = false } = {}): void {
    this.#share.share(stream, { owned }, this.#shareRefusal());
  }

  /** Stops the auxiliary stream (no-op when nothing is shared). The camera keeps flowing. */
  stopSharing(): void {
    this.#share.stop();
  }

  /** Marks the call verified on this side (the codes matched); the other side is told, and shows it as a hint. */
  verify(): void {
    const refusal =
      this.#peer?.services?.verify() ??
      new P2PCallError(ErrorCode.NotConnected, 'There is no verification code yet.', true);
    if (refusal) this.#emit('error', refusal.toDetail());
  }

  /**
   * Sends host application data to the peer: any JSON value, or binary (ArrayBuffer / typed array). Ordered and
   * reliable. Throws a P2PCallError when not connected or when the message is over 64 KiB.
   */
  send(data: unknown): void {
    const peer = this.#requireConnected('send()');
    peer.sendFrame(appDataFrame(data));
  }

  /** Sends a chat line (trimmed, at most 2,000 characters). Throws when not connected. */
  sendChat(text: string): void {
    const line = chatLine(text);
    if (!line) return;
    this.#requireConnected('sendChat()').sendToPeer({ t: 'chat', text: line });
    this.#emit('chat', { text: line, from: 'local', name: this.options.name ?? '', at: Date.now() });
  }

  /**
   * Offers a file (or any Blob) to the peer and sends it once accepted, with progress events both ways. Resolves
   * with the outcome; never rejects.
   */
  async sendFile(file: Blob, name = file instanceof File ? file.name : 'file'): Promise<FileTransferResult> {
    const peer = this.#peer;
    if (!peer?.link?.connected || !peer.services) {
      this.#emit(
        'error',
        new P2PCallError(ErrorCode.NotConnected, 'Files can be sent once the call is connected.', true).toDetail(),
      );
      return { id: '', status: 'failed', reason: 'not-connected' };
    }
    return peer.services.files.send(file, name);
  }

  /** Cancels a file transfer in either direction. */
  cancelFile(id: string): boolean {
    return this.#peer?.services?.files.cancel(id) ?? false;
  }

  /** Refuses an offered file; call it from a `file-offer` listener (without the `acceptFile` option). */
  refuseFile(id: string): void {
    this.#fileOffers.refuse(id);
  }

  /** The one remote peer of a two-person call. */
  get #peer(): LinkSupervisor | undefined {
    return this.#room.peers[0];
  }

  get #active(): boolean {
    return this.#phase === 'joining' || this.#phase === 'joined';
  }

  #emit = <K extends keyof CallEventMap>(name: K, detail: CallEventMap[K]): void => this.events.emit(name, detail);

  #newSupervisor(peer: PeerInfo): LinkSupervisor {
    const supervisor: LinkSupervisor = new LinkSupervisor(peer, {
      selfId: () => this.#room.selfId,
      active: () => this.#active,
      relay: this.options.relay ?? 'allow',
      recoveryTimeout: this.options.recoveryTimeout ?? DEFAULT_RECOVERY_TIMEOUT_MS,
      newLink: () => this.#links.link(),
      newServices: (link, owner) => this.#newServices(link, owner),
      sendSignal: (to, payload) => this.#sendSignal(to, payload),
      checkSignaling: () => this.options.signaling.checkConnection?.(),
      shownFrames: (stream) => this.options.shownFrames?.(stream),
      emit: this.#emit,
      changed: () => this.#update(),
      localMedia: () => this.#media.announcement,
      shareTrack: () => this.#share.track,
      dropped: (gone) => this.#room.drop(gone),
    });
    return supervisor;
  }

  #newServices(link: Link, supervisor: LinkSupervisor): LinkServices {
    return new LinkServices(link, {
      emit: this.#emit,
      sendToPeer: (message) => supervisor.sendToPeer(message),
      relay: this.options.relay ?? 'allow',
      latencyBudget: () => this.latencyBudget,
      fileLimits: () => this.#fileLimits,
      fileSink: this.#fileOffers.sink,
      forbiddenRoute: () =>
        this.#fail(
          new P2PCallError(
            ErrorCode.RelayForbidden,
            'The only path to the other person goes through a relay (TURN server), and relay="forbid" does not allow one.',
          ),
        ),
    });
  }

  /** Builds the next link while the room has a free seat (see SpareLink). */
  #prepareSpareLink(): void {
    if (this.#active && this.#room.peers.length < CAPACITY - 1) this.#links.prepareSpare();
  }

  #handleSignaling(event: SignalingEvent): void {
    switch (event.type) {
      case 'joined':
        this.#room.selfId = event.self;
        this.#links.serverIceServers = event.iceServers ?? [];
        if (this.#phase === 'joining') this.#setPhase('joined');
        for (const peer of event.peers) this.#room.arrived(peer, false);
        return;
      case 'peer-joined':
        this.#room.arrived(event.peer);
        return;
      case 'peer-left':
        this.#room.left(event.peerId);
        return;
      case 'signal':
        this.#room.signal(event.from, event.id, event.payload);
        return;
      case 'connection':
        return; // media is peer to peer: losing the server does not interrupt the call
      case 'error': {
        const error = new P2PCallError(event.code, event.message, event.recoverable);
        if (event.recoverable) this.#emit('error', error.toDetail());
        else this.#fail(error);
        return;
      }
    }
  }

  #sendSignal(to: string, payload: SignalPayload): void {
    this.options.signaling.send(to, `${this.#messagePrefix}-${++this.#messageCounter}`, payload);
  }

  #shareRefusal(): P2PCallError | undefined {
    return this.#active ? undefined : new P2PCallError(ErrorCode.NotConnected, 'Join the call before sharing.', true);
  }

  #requireConnected(what: string): LinkSupervisor {
    const peer = this.#peer;
    if (!peer?.link?.connected) throw new P2PCallError(ErrorCode.NotConnected, `${what} needs a connected call.`, true);
    return peer;
  }

  #mediaDevices(): MediaDevices | undefined {
    return this.options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }

  /** Ends the call in the `error` state. The error is reported as not recoverable: this call does not go on. */
  #fail(error: P2PCallError): void {
    this.#teardown();
    this.#setPhase('failed');
    this.#emit('error', { ...error.toDetail(), recoverable: false });
  }

  #teardown(): void {
    this.#generation++;
    for (const peer of this.#room.peers) peer.sendToPeer({ t: 'bye' });
    this.#share.stop();
    this.#room.clear();
    this.#links.discardSpare();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.options.signaling.leave();
    this.#media.release();
  }

  #setPhase(phase: SessionPhase): void {
    this.#phase = phase;
    this.#update();
  }

  /** Recomputes the state from the facts; the one place it changes. */
  #update(): void {
    const state = deriveCallState({ phase: this.#phase, peers: this.#room.facts });
    const previous = this.#state;
    if (state === previous) return;
    this.#state = state;
    this.#emit('state-change', { state, previous });
  }
}
