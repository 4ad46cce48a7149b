import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { ErrorCode, P2PCallError, type ErrorDetail } from '../errors.js';
import type { CallEventMap, CallEventName, ChatDetail, FileTransferResult } from '../session/call-events.js';
import { trackDeviceId, type DeviceKind } from '../session/devices.js';
import { checkedFileLimits, DEFAULT_FILE_LIMITS, type FileLimits } from '../session/file-transfer/file-limits.js';
import { DEFAULT_RECOVERY_TIMEOUT_MS } from '../session/recovery-clock.js';
import { CallState, isActive } from '../session/call-state.js';
import { RELAY_POLICIES, type RelayPolicy } from '../session/relay-policy.js';
import type { PeerInfo } from '../signaling/protocol.js';
import { createSignaling } from '../signaling/create-signaling.js';
import type { SignalingAdapter } from '../signaling/signaling-adapter.js';
import { byteSizeConverter, countConverter, iceServersConverter } from './attribute-converters.js';
import { dispatchCallEvent } from './call-dom-events.js';
import {
  cameraIcon,
  cameraOffIcon,
  chatIcon,
  fileIcon,
  fullscreenIcon,
  hangUpIcon,
  micIcon,
  micOffIcon,
  phoneIcon,
  pipIcon,
  screenIcon,
  settingsIcon,
  soundIcon,
} from './icons.js';
import type { StringKey, Strings } from './i18n/translate.js';
import { LanguageController } from './i18n/language-controller.js';
import { lobbyView } from './lobby.js';
import { LobbyController } from './lobby-controller.js';
import { LazyViews } from './lazy-views.js';
import { isMediaProblem } from './media-problem-codes.js';
import { styles } from './p2p-call.styles.js';
import { qualityIndicator, QualityView } from './quality-view.js';
import { SessionController } from './session-controller.js';
import { shortcutFor } from './shortcuts.js';
import { iconButton, toggleButton } from './toggle-button.js';
import type { TransferList, TransferRow } from './transfer-list.js';

/**
 * Binds a stream to a video's srcObject only when it changes. Lit re-assigns object values on every render, and
 * each assignment restarts the video (a flash of black on every progress event).
 */
const srcObject = (stream: MediaStream | undefined) => guard([stream], () => stream ?? null);

/** Chunks of views shown on request (see lazy-views.ts); one loader each, shared by every element of the page. */
const loadPanels = () => import('./panels.js');
const loadProblemScreens = () => import('./media-problem.js');

/** Chat lines kept in the panel; older ones scroll away for good. */
const CHAT_HISTORY = 200;

const FILE_LIMIT_ATTRIBUTES: Record<keyof FileLimits, string> = {
  maxFileSize: 'max-file-size',
  maxIncomingFiles: 'max-incoming-files',
  maxIncomingBytes: 'max-incoming-bytes',
};

export type Layout = 'auto' | 'pip' | 'side-by-side' | 'share-focused';
const LAYOUTS: readonly Layout[] = ['auto', 'pip', 'side-by-side', 'share-focused'];

/**
 * A private, peer-to-peer video call between two people. Audio and video go straight from one browser to the
 * other; a signaling channel only introduces the two.
 *
 * @summary Drop-in two-person WebRTC call.
 *
 * @slot local - A `<video>` (or an element containing one) that shows your own camera instead of the built-in view.
 * @slot remote - A `<video>` that shows the other person instead of the built-in view.
 * @slot aux - A `<video>` that shows the other person's shared screen or document instead of the built-in view.
 *
 * @csspart lobby - The pre-join lobby (preview, pickers, name, Join).
 * @csspart lobby-preview - The lobby's camera preview area.
 * @csspart preview-video - The lobby's camera preview video.
 * @csspart mic-level - The lobby's microphone level meter.
 * @csspart name-input - The lobby's name field.
 * @csspart camera-select - The camera picker (lobby and settings).
 * @csspart microphone-select - The microphone picker (lobby and settings).
 * @csspart speaker-select - The speaker picker (lobby and settings; only where the browser supports setSinkId).
 * @csspart problem - The screen explaining a camera/microphone problem (blocked, missing, busy) and how to fix it.
 * @csspart retry-button - Tries the camera and microphone again after a problem.
 * @csspart settings - The in-call settings panel (device pickers).
 * @csspart settings-button - Opens/closes the settings panel.
 * @csspart quality - The connection quality indicator.
 * @csspart quality-warning - The warning shown while the delay is over `latency-budget`.
 * @csspart fullscreen-button - Enters/leaves full screen.
 * @csspart pip-button - Shows the other person in a picture-in-picture window.
 * @csspart file-dismiss-button - Removes a finished transfer from the list.
 * @csspart sound-button - Turns on sound the browser blocked.
 * @csspart stage - The area holding the video tiles.
 * @csspart remote - The other person's tile.
 * @csspart remote-video - The built-in video of the other person.
 * @csspart local - Your own tile (picture-in-picture).
 * @csspart local-video - The built-in video of your camera.
 * @csspart aux - The tile of the other person's share (large while they share).
 * @csspart aux-video - The built-in video of the other person's share.
 * @csspart share-preview - The small preview of what you are sharing.
 * @csspart files - The file-transfer panel.
 * @csspart file - One transfer row.
 * @csspart file-progress - A transfer's progress bar.
 * @csspart file-cancel-button - Cancels a transfer.
 * @csspart file-download - Saves a received file.
 * @csspart chat - The chat panel.
 * @csspart chat-input - The chat text field.
 * @csspart chat-send-button - Sends a chat line.
 * @csspart verification - The verification code badge.
 * @csspart verify-button - Confirms that both people see the same code.
 * @csspart peer-verified - The hint that the other person confirmed the code (shown until you confirm it too).
 * @csspart drop-hint - The overlay shown while files are dragged over the element.
 * @csspart status - The status text over the remote tile (waiting, connecting, errors).
 * @csspart notice - A dismissible notice (a recoverable error, blocked sound).
 * @csspart controls - The control bar.
 * @csspart join-button - The button that joins (or rejoins) the call.
 * @csspart mic-button - The microphone toggle.
 * @csspart camera-button - The camera toggle.
 * @csspart share-button - Starts/stops sharing the screen.
 * @csspart file-button - Picks files to send.
 * @csspart chat-button - Opens/closes the chat.
 * @csspart leave-button - The hang-up button.
 *
 * @cssprop --p2p-call-background - Background of the element and the control bar.
 * @cssprop --p2p-call-surface - Background of video tiles and controls.
 * @cssprop --p2p-call-foreground - Text and icon colour.
 * @cssprop --p2p-call-muted-foreground - Secondary text colour.
 * @cssprop --p2p-call-accent - The join button colour.
 * @cssprop --p2p-call-danger - The hang-up button colour.
 * @cssprop --p2p-call-radius - Corner radius of the element.
 * @cssprop --p2p-call-font - Font family.
 * @cssprop --p2p-call-control-size - Size of the round control buttons.
 * @cssprop --p2p-call-focus-ring - Outline of a focused control.
 * @cssprop --p2p-call-aspect-ratio - Aspect ratio of the element when no height is set.
 *
 * @fires {CustomEvent<StateChangeDetail>} p2p-state-change - The call state changed. `detail: {state, previous}`.
 * @fires {CustomEvent<PeerDetail>} p2p-peer-join - The other person entered the room. `detail: {peer: {id, name}}`.
 * @fires {CustomEvent<PeerDetail>} p2p-peer-leave - The other person left. `detail: {peer}`.
 * @fires {CustomEvent<StreamDetail>} p2p-local-stream - Your camera/microphone stream is ready. `detail: {stream}`.
 * @fires {CustomEvent<StreamDetail>} p2p-remote-stream - The other person's stream arrived. `detail: {stream}`.
 * @fires {CustomEvent<MediaStateDetail>} p2p-local-media - Your mic/camera state changed. `detail: {muted, cameraOff}`.
 * @fires {CustomEvent<MediaStateDetail>} p2p-remote-media - The other person muted or turned the camera off/on. `detail: {muted, cameraOff}`.
 * @fires {CustomEvent<ShareDetail>} p2p-share-start - A screen/document share started. `detail: {side: 'local'|'remote', stream}`.
 * @fires {CustomEvent<ShareDetail>} p2p-share-end - A share ended. `detail: {side, stream}`.
 * @fires {CustomEvent<DataDetail>} p2p-data - App data from the peer (`send()` on the other side). `detail: {data}` (JSON value or ArrayBuffer).
 * @fires {CustomEvent<ChatDetail>} p2p-chat - A chat line, sent or received. `detail: {text, from: 'local'|'remote', name, at}`.
 * @fires {CustomEvent<FileOfferDetail>} p2p-file-offer - The peer offers a file. Cancelable: `preventDefault()` refuses it. `detail: {id, name, size, type}`.
 * @fires {CustomEvent<FileProgressDetail>} p2p-file-progress - Transfer progress, both directions. `detail: {id, name, size, bytes, direction}`.
 * @fires {CustomEvent<FileReceivedDetail>} p2p-file-received - A file arrived and its digest matched the sender's. `detail: {id, name, size, type, file, digest}`.
 * @fires {CustomEvent<FileSentDetail>} p2p-file-sent - The peer confirmed a file. `detail: {id, name, size, type, digest}`.
 * @fires {CustomEvent<FileCancelDetail>} p2p-file-cancel - A transfer stopped. `detail: {id, name, direction, by, reason}`.
 * @fires {CustomEvent<VerificationDetail>} p2p-verification - The verification code is ready (or changed). `detail: {code, fingerprints}`.
 * @fires {CustomEvent<VerifiedDetail>} p2p-verified - A person confirmed the codes match: you (`by: 'local'`, the call is verified) or, as information only, the other side (`by: 'remote'`). `detail: {code, by}`.
 * @fires {CustomEvent<RouteDetail>} p2p-route - How media travels. `detail: {route: 'direct'|'relay', local, remote, protocol}`.
 * @fires {CustomEvent<ReconnectingDetail>} p2p-reconnecting - The connection broke; a fresh one is being negotiated. `detail: {reason}`.
 * @fires {CustomEvent<RecoveredDetail>} p2p-recovered - The connection is back. `detail: {durationMs, attempts}`.
 * @fires {CustomEvent<QualityDetail>} p2p-quality - Connection quality, at most once a second while connected. `detail: {rtt, jitter, loss, delay, route, level, budget, overBudget}`.
 * @fires {CustomEvent<ErrorDetail>} p2p-error - Something failed. `detail: {code, message, recoverable}`.
 *
 * @attr {CallState} state - Read-only, reflected: `idle | joining | waiting | connecting | connected | reconnecting | ended | error`.
 */
export class P2PCall extends LitElement {
  static override styles = styles;

  /** The room both people join; any string of letters, digits, `_`, `-`, `.`, `:`. */
  @property({ reflect: true }) room = '';

  /**
   * How the two peers find each other: a `ws://`/`wss://` URL of the signaling server, or `broadcast` (tabs of one
   * browser). Assign a `SignalingAdapter` object to the property for anything else (e.g. `CallbackSignaling`).
   */
  @property() signaling: string | SignalingAdapter = '';

  /** Your display name, shown to the other person. */
  @property() name = '';

  /** A join token, when the signaling server requires one. */
  @property() token = '';

  /** ICE servers as a JSON array of RTCIceServer. Empty by default: direct connections only, no public STUN. */
  @property({ attribute: 'ice-servers', converter: iceServersConverter }) iceServers: RTCIceServer[] | null = [];

  /** Join as soon as the element is in the page. */
  @property({ attribute: 'auto-join', type: Boolean }) autoJoin = false;

  /** Microphone muted. Set it to mute; it also reflects the live state (true when there is no microphone). */
  @property({ type: Boolean, reflect: true }) muted = false;

  /** Camera off. Set it to turn the camera off; it also reflects the live state (true when there is no camera). */
  @property({ attribute: 'camera-off', type: Boolean, reflect: true }) cameraOff = false;

  /**
   * A stream to send instead of asking for camera and microphone (a canvas, a processed camera). Set before join().
   * The host keeps ownership: leave() does not stop its tracks.
   */
  @property({ attribute: false }) localStream?: MediaStream;

  /**
   * TURN relay policy: `allow` (default: relay only where the network forces it), `forbid` (never relay; TURN
   * servers are ignored and no relay candidate leaves the browser), `only` (always relay: hides both people's IP
   * addresses from each other; needs a TURN server).
   */
  @property() relay: RelayPolicy = 'allow';

  /**
   * Largest file sent or accepted, in bytes (1 GiB by default). Larger offers are refused with `file-too-large`. The
   * attribute also takes a unit: `10MB`, `1.5 GiB` (kB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB of 1024); any
   * other value is an `invalid-config` error and the limit stays as it was.
   */
  @property({ attribute: 'max-file-size', converter: byteSizeConverter }) maxFileSize: number =
    DEFAULT_FILE_LIMITS.maxFileSize;

  /**
   * How many incoming files may arrive at once (4 by default). Offers beyond it are refused as `busy` on both sides;
   * this side sends at most two at a time, so people dropping many files never meet it.
   */
  @property({ attribute: 'max-incoming-files', converter: countConverter }) maxIncomingFiles: number =
    DEFAULT_FILE_LIMITS.maxIncomingFiles;

  /**
   * How many bytes the files arriving at once may add up to (2 GiB by default; same forms as `max-file-size`).
   * Offers beyond it are refused as `busy` on both sides.
   */
  @property({ attribute: 'max-incoming-bytes', converter: byteSizeConverter }) maxIncomingBytes: number =
    DEFAULT_FILE_LIMITS.maxIncomingBytes;

  /**
   * How long to try restoring a broken connection before giving up with `connection-lost` (milliseconds,
   * 30000 by default). Meanwhile the state is `reconnecting`; the other person's return resumes the call anyway.
   */
  @property({ attribute: 'recovery-timeout', type: Number }) recoveryTimeout: number = DEFAULT_RECOVERY_TIMEOUT_MS;

  /** Skip the pre-join lobby: the idle element shows only a Join button. (`auto-join` skips it too.) */
  @property({ attribute: 'no-lobby', type: Boolean }) noLobby = false;

  /**
   * Estimated one-way delay (ms) above which the call warns that people will talk over each other, and
   * `p2p-quality` says `overBudget`. 0 (default): no budget.
   */
  @property({ attribute: 'latency-budget', type: Number }) latencyBudget = 0;

  /** `light` or `dark` forces a colour scheme; anything else (default `auto`) follows the system setting. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /**
   * `auto` (default): share-focused while something is shared, picture-in-picture otherwise. `pip` or
   * `side-by-side` choose how the two cameras sit; a share always takes the large tile.
   */
  @property({ reflect: true }) layout: Layout = 'auto';

  /**
   * Your wording over the built-in language: any subset of the keys of `src/element/i18n/en.ts`, same `{name}`
   * placeholders. Language from `lang` (or an ancestor's): `en`, `de`, `zh-CN`, `es`, `fr`, `pt-BR`, `ja`, `hi` and
   * their regional tags; others get English.
   */
  @property({ attribute: false }) strings?: Partial<Strings>;

  @state() private remoteMedia = { muted: false, cameraOff: false };
  @state() private chatOpen = false;
  @state() private chatLines: ChatDetail[] = [];
  @state() private unreadChat = 0;
  @state() private dragging = false;
  @state() private hasAuxContent = false;
  /**
   * Slots the host filled with its own view. Their built-in fallback videos get no stream: a video that is not shown
   * still runs a player (CPU on a busy call) and, for the remote one, would play the other person's sound twice.
   */
  @state() private filledSlots: ReadonlySet<string> = new Set();
  /** The file rows' state comes with the panels chunk; changes from before it arrived wait there, in order. */
  #transfers?: TransferList;
  #transferChanges: Array<(list: TransferList) => void> = [];
  @state() private lastError?: ErrorDetail;
  @state() private soundBlocked = false;
  @state() private announcement = '';
  @state() private settingsOpen = false;
  @state() private speaker?: string;
  @state() private pipActive = false;
  #appliedSpeaker?: string;
  readonly #quality = new QualityView();
  readonly #lang = new LanguageController(this);
  readonly #lobby = new LobbyController(this, () =>
    this.renderRoot?.querySelector<HTMLMeterElement>('meter.mic-level'),
  );
  readonly #panels = new LazyViews(this, loadPanels);
  readonly #problems = new LazyViews(this, loadProblemScreens);

  /** The video showing the other person: the host's, when it filled the `remote` slot, else the built-in one. */
  private get remoteVideo(): HTMLVideoElement | null {
    return this.#slottedVideos('remote')[0] ?? this.renderRoot?.querySelector('video.remote-video') ?? null;
  }

  /** The host's videos in a slot: each slotted `<video>`, or the first one inside a slotted element. */
  #slottedVideos(slotName: string): HTMLVideoElement[] {
    const slot = this.renderRoot?.querySelector<HTMLSlotElement>(`slot[name="${slotName}"]`);
    return (slot?.assignedElements({ flatten: true }) ?? [])
      .map((element) => (element instanceof HTMLVideoElement ? element : element.querySelector('video')))
      .filter((video): video is HTMLVideoElement => video !== null);
  }

  private get fileInput(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input[type="file"]');
  }

  readonly #controller = new SessionController(this, (name, detail) => this.#handleSessionEvent(name, detail));

  /** The call's state (reflected as the read-only `state` attribute). */
  get state(): CallState {
    return this.#controller.session?.state ?? CallState.Idle;
  }

  /** The other person's media stream while connected. */
  get remoteStream(): MediaStream | undefined {
    return this.#controller.session?.remoteStream;
  }

  /** The other participant, once known. */
  get remotePeer(): PeerInfo | undefined {
    return this.#controller.session?.remotePeer;
  }

  /** The stream this side sends (camera and microphone, or `localStream`). */
  get outgoingStream(): MediaStream | undefined {
    return this.#controller.session?.localStream;
  }

  /**
   * The verification code both people compare (e.g. "123 456"). It is the same on both sides only if no one sits
   * in the middle of the connection. Undefined until both sides exchanged their verification data.
   */
  get verificationCode(): string | undefined {
    return this.#controller.session?.verificationCode;
  }

  /**
   * True once you (or the host, by `verify()`) confirmed that the codes match. Only this side can set it: the other
   * person's confirmation is `verifiedByPeer`, which whoever sits in the middle could also claim.
   */
  get verified(): boolean {
    return this.#controller.session?.verified ?? false;
  }

  /** True once the other side said its person confirmed the current code: a hint to compare, never proof. */
  get verifiedByPeer(): boolean {
    return this.#controller.session?.verifiedByPeer ?? false;
  }

  /**
   * Marks the call verified on this side (the codes matched). The other side gets `p2p-verified {by: 'remote'}` and
   * shows it as a hint; it is verified there only when its own person confirms too.
   */
  verify(): void {
    this.#controller.session?.verify();
  }

  /** What you are sharing (screen or host stream), if anything. */
  get localShareStream(): MediaStream | undefined {
    return this.#controller.session?.localShareStream;
  }

  /** What the other person is sharing, if anything. */
  get remoteShareStream(): MediaStream | undefined {
    return this.#controller.session?.remoteShareStream;
  }

  /**
   * Joins the room: asks for camera and microphone, then connects to the other person when they are there.
   * Resolves when joined or failed; a failure is reported by `p2p-error` and the `error` state, never a rejection.
   */
  async join(): Promise<void> {
    const state = this.state;
    if (state !== CallState.Idle && state !== CallState.Ended && state !== CallState.Error) return;
    this.lastError = undefined;
    let signaling: SignalingAdapter;
    try {
      signaling = this.#resolveSignaling();
    } catch (error) {
      this.#reportConfigError(error);
      return;
    }
    // The lobby's camera and microphone become the call's (a host's own stream wins): no second capture on Join.
    const captured = this.localStream ? (this.#lobby.stop(), undefined) : this.#lobby.handOver();
    this.#quality.clear();
    const session = this.#controller.start({
      signaling,
      room: this.room,
      name: this.name,
      token: this.token || undefined,
      iceServers: this.iceServers ?? [],
      muted: this.muted,
      cameraOff: this.cameraOff,
      localStream: this.localStream,
      capturedMedia: captured,
      ...this.#fileLimits(),
      relay: this.relay,
      recoveryTimeout: this.recoveryTimeout,
      devices: { camera: this.#lobby.pick.camera, microphone: this.#lobby.pick.microphone },
      latencyBudget: this.latencyBudget,
    });
    this.chatLines = [];
    this.#clearTransfers();
    await session.join();
  }

  /** Leaves the call: the other person sees you leave, your camera and microphone turn off. */
  leave(): void {
    this.#controller.stop();
  }

  /** Shares your screen (or a window or tab, picked in the browser's dialog) next to the camera. */
  async shareScreen(): Promise<void> {
    await this.#controller.session?.shareScreen();
  }

  /** Shares any video stream you make (a canvas of an editor, a PDF viewer, a whiteboard). You keep ownership. */
  shareStream(stream: MediaStream): void {
    this.#requireSession('shareStream()')?.shareStream(stream);
  }

  /** Stops sharing; the camera keeps flowing. */
  stopSharing(): void {
    this.#controller.session?.stopSharing();
  }

  /**
   * Sends app data to the other side (any JSON value, or an ArrayBuffer/typed array, up to 64 KiB), ordered and
   * reliable; it arrives there as `p2p-data`. Throws a P2PCallError (`not-connected`, `message-too-large`).
   */
  send(data: unknown): void {
    const session = this.#controller.session;
    if (!session) throw new P2PCallError(ErrorCode.NotConnected, 'send() needs a connected call.', true);
    session.send(data);
  }

  /**
   * Offers a file to the other side and sends it directly, peer to peer, once accepted. Resolves with the outcome
   * (`delivered`, `refused`, `cancelled`, `failed`); never rejects.
   */
  async sendFile(file: Blob, name?: string): Promise<FileTransferResult> {
    const session = this.#requireSession('sendFile()');
    if (!session) return { id: '', status: 'failed', reason: 'not-connected' };
    return session.sendFile(file, name);
  }

  /** Cancels a file transfer (either direction). */
  cancelFile(id: string): void {
    this.#controller.session?.cancelFile(id);
  }

  /** Sends a chat line (shown in both chat panels, and as `p2p-chat` on both sides). */
  sendChat(text: string): void {
    try {
      this.#requireSession('sendChat()')?.sendChat(text);
    } catch (error) {
      if (error instanceof P2PCallError) this.#reportError(error.toDetail());
    }
  }

  #requireSession(what: string) {
    const session = this.#controller.session;
    if (!session || !isActive(session.state)) {
      this.#reportError({
        code: ErrorCode.NotConnected,
        message: `${what} needs a call in progress.`,
        recoverable: true,
      });
      return undefined;
    }
    return session;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragover', this.#handleDragOver);
    this.addEventListener('dragleave', this.#handleDragLeave);
    this.addEventListener('drop', this.#handleDrop);
    this.addEventListener('keydown', this.#handleKeyDown);
    document.addEventListener('fullscreenchange', this.#handleFullscreenChange);
    if (!this.autoJoin) return;
    void this.updateComplete.then(() => {
      if (this.isConnected) void this.join();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('dragover', this.#handleDragOver);
    this.removeEventListener('dragleave', this.#handleDragLeave);
    this.removeEventListener('drop', this.#handleDrop);
    this.removeEventListener('keydown', this.#handleKeyDown);
    document.removeEventListener('fullscreenchange', this.#handleFullscreenChange);
    this.#clearTransfers();
  }

  /** Also waits for views still on their way (a panel or problem screen shown just now; see lazy-views.ts). */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    for (let loading; (loading = this.#panels.loading ?? this.#problems.loading);) {
      await loading;
      result = await super.getUpdateComplete();
    }
    return result;
  }

  /** Waits for a language table that is still loading, so the element never shows English first. */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const loading = this.#lang.loading;
    return loading ? loading.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#lang.refresh(this.strings);
    if (['maxFileSize', 'maxIncomingFiles', 'maxIncomingBytes'].some((key) => changed.has(key as keyof P2PCall))) {
      try {
        this.#controller.session?.setFileLimits(this.#fileLimits());
      } catch (error) {
        this.#reportConfigError(error, true); // the limits in force stay as they were
      }
    }
    if (changed.has('latencyBudget') && this.#controller.session)
      this.#controller.session.latencyBudget = this.latencyBudget;
    if (changed.has('muted') || changed.has('cameraOff')) this.#lobby.setEnabled(this.muted, this.cameraOff);
    // Applied before rendering, so the session's answering `local-media` event lands in this same update.
    const session = this.#controller.session;
    if (session && (changed.has('muted') || changed.has('cameraOff'))) {
      if (session.muted !== this.muted || session.cameraOff !== this.cameraOff) {
        session.setMedia({ muted: this.muted, cameraOff: this.cameraOff });
      }
    }
  }

  protected override updated(): void {
    this.#reflectState();
    this.#feedSlottedVideos();
    this.#applySpeaker();
    // The lobby opens whenever it is showing and closes when it is not (join, no-lobby set later, auto-join).
    // Opening waits one task: a host that calls join() right after inserting the element never sees the camera
    // captured twice (preview, then call).
    if (this.#showsLobby && !this.#lobby.open) {
      clearTimeout(this.#lobbyTimer);
      this.#lobbyTimer = setTimeout(() => {
        if (this.#showsLobby && !this.#lobby.open)
          void this.#lobby.start().then(() => this.#lobby.setEnabled(this.muted, this.cameraOff));
      });
    } else if (!this.#showsLobby && this.#lobby.open) {
      this.#lobby.stop();
    }
  }

  #lobbyTimer?: ReturnType<typeof setTimeout>;

  get #showsLobby(): boolean {
    return this.state === CallState.Idle && !this.noLobby && !this.autoJoin && this.isConnected;
  }

  /** Routes the other person's audio to the picked speaker (where the browser allows it). */
  #applySpeaker(): void {
    const video = this.remoteVideo as (HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }) | null;
    if (!video?.setSinkId || this.speaker === undefined || this.#appliedSpeaker === this.speaker) return;
    this.#appliedSpeaker = this.speaker;
    video.setSinkId(this.speaker).catch(() => (this.#appliedSpeaker = undefined));
  }

  #pickDevice = (kind: DeviceKind, id: string): void => {
    if (kind === 'speaker') {
      this.speaker = id;
      return;
    }
    this.#lobby.pick[kind] = id;
    if (this.#lobby.open) void this.#lobby.start();
    else void this.#controller.session?.switchDevice(kind, id);
  };

  #handleKeyDown = (event: KeyboardEvent): void => {
    const action = shortcutFor(event);
    if (!action || this.state === CallState.Ended || this.state === CallState.Error) return;
    event.preventDefault();
    if (action === 'mic') this.#toggleMic();
    else this.#toggleCamera();
  };

  #handleFullscreenChange = (): void => this.requestUpdate();

  #toggleFullscreen = (): void => {
    if (document.fullscreenElement === this) void document.exitFullscreen();
    else void this.requestFullscreen().catch(() => {});
  };

  #togglePip = (): void => {
    if (this.pipActive) void document.exitPictureInPicture().catch(() => {});
    else void this.remoteVideo?.requestPictureInPicture().catch(() => {});
  };

  #handlePipChange = (event: Event): void => {
    this.pipActive = event.type === 'enterpictureinpicture';
  };

  #announce(key: StringKey, name?: string): void {
    this.announcement = this.#lang.t(key, { name: name || this.#lang.t('someone') });
  }

  #reflectState(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  #resolveSignaling(): SignalingAdapter {
    if (!this.room) throw new P2PCallError(ErrorCode.InvalidConfig, 'Set the room attribute before joining.');
    if (this.iceServers === null) {
      throw new P2PCallError(ErrorCode.InvalidConfig, 'ice-servers must be a JSON array of RTCIceServer objects.');
    }
    if (!LAYOUTS.includes(this.layout)) {
      throw new P2PCallError(ErrorCode.InvalidConfig, `layout="${this.layout}" is not one of ${LAYOUTS.join(', ')}.`);
    }
    if (!(this.latencyBudget >= 0)) {
      throw new P2PCallError(ErrorCode.InvalidConfig, 'latency-budget must be a number of milliseconds (0 or more).');
    }
    if (!RELAY_POLICIES.includes(this.relay)) {
      throw new P2PCallError(ErrorCode.InvalidConfig, `relay="${this.relay}" is not one of allow, forbid, only.`);
    }
    this.#fileLimits();
    if (typeof this.signaling === 'object' && this.signaling) return this.signaling;
    if (!this.signaling) {
      throw new P2PCallError(ErrorCode.InvalidConfig, 'Set the signaling attribute (a ws:// URL or "broadcast").');
    }
    return createSignaling(this.signaling);
  }

  /** The file limits the attributes ask for, checked: an `invalid-config` P2PCallError quotes a bad one as written. */
  #fileLimits(): FileLimits {
    const wanted: Record<keyof FileLimits, unknown> = {
      maxFileSize: this.maxFileSize,
      maxIncomingFiles: this.maxIncomingFiles,
      maxIncomingBytes: this.maxIncomingBytes,
    };
    // An attribute the converter could not read is NaN: check the text itself, so the error quotes it.
    for (const key of Object.keys(wanted) as Array<keyof FileLimits>) {
      if (Number.isNaN(wanted[key])) wanted[key] = this.getAttribute(FILE_LIMIT_ATTRIBUTES[key]) ?? NaN;
    }
    return checkedFileLimits(DEFAULT_FILE_LIMITS, wanted, FILE_LIMIT_ATTRIBUTES);
  }

  #reportConfigError(error: unknown, recoverable = false): void {
    const detail =
      error instanceof P2PCallError
        ? error.toDetail()
        : { code: ErrorCode.InvalidConfig, message: String(error), recoverable };
    this.#reportError({ ...detail, recoverable });
  }

  /** An error found by the element itself (not the session): shown and dispatched like the session's. */
  #reportError(detail: ErrorDetail): void {
    this.lastError = detail;
    dispatchCallEvent(this, 'error', detail);
  }

  #handleSessionEvent<K extends CallEventName>(name: K, detail: CallEventMap[K]): void {
    switch (name) {
      case 'state-change':
        // Reflect before dispatching, so a p2p-state-change listener sees attribute and property agree.
        this.#reflectState();
        break;
      case 'local-media': {
        const media = detail as CallEventMap['local-media'];
        this.muted = media.muted;
        this.cameraOff = media.cameraOff;
        break;
      }
      case 'remote-media':
        this.remoteMedia = detail as CallEventMap['remote-media'];
        break;
      case 'remote-stream':
        this.soundBlocked = false;
        break;
      case 'peer-join':
        this.#announce('joinedNotice', (detail as CallEventMap['peer-join']).peer.name);
        break;
      case 'peer-leave':
        this.#announce('leftNotice', (detail as CallEventMap['peer-leave']).peer.name);
        this.remoteMedia = { muted: false, cameraOff: false };
        if (this.#quality.clear()) this.requestUpdate();
        break;
      case 'error':
        this.lastError = detail as ErrorDetail;
        break;
      case 'share-start':
      case 'share-end': {
        const local = (detail as CallEventMap['share-start']).side === 'local';
        const started = name === 'share-start';
        this.#announce(
          local ? (started ? 'youSharedNotice' : 'youUnsharedNotice') : started ? 'sharedNotice' : 'unsharedNotice',
          this.remotePeer?.name,
        );
        break;
      }
      case 'quality':
        // Sampled every second: redraw only when what is shown changes (the event is still dispatched).
        if (this.#quality.apply(detail as CallEventMap['quality'])) this.requestUpdate();
        break;
      case 'chat': {
        const line = detail as ChatDetail;
        this.chatLines = [...this.chatLines.slice(-(CHAT_HISTORY - 1)), line];
        if (line.from === 'remote' && !this.chatOpen) this.unreadChat += 1;
        break;
      }
      case 'file-offer': {
        const offer = detail as CallEventMap['file-offer'];
        // The host may veto: a prevented event refuses the file before a byte is sent.
        if (!dispatchCallEvent(this, 'file-offer', offer)) this.#controller.session?.refuseFile(offer.id);
        else this.#changeTransfers((list) => list.offered(offer, 'receive'));
        return;
      }
      case 'file-progress': {
        const progress = detail as CallEventMap['file-progress'];
        this.#changeTransfers((list) => {
          if (progress.direction === 'send' && progress.bytes === 0) list.offered(progress, 'send');
          list.progress(progress);
        });
        break;
      }
      case 'file-received':
        this.#changeTransfers((list) => list.received(detail as CallEventMap['file-received']));
        break;
      case 'file-sent':
        this.#changeTransfers((list) => list.sent((detail as CallEventMap['file-sent']).id));
        break;
      case 'file-cancel':
        this.#changeTransfers((list) => list.cancelled(detail as CallEventMap['file-cancel']));
        break;
    }
    dispatchCallEvent(this, name, detail);
  }

  /** Slotted videos are the host's elements: give each the right stream whenever slots or streams change. */
  #feedSlottedVideos(): void {
    const feeds: Array<[string, MediaStream | undefined]> = [
      ['local', this.outgoingStream],
      ['remote', this.remoteStream],
      ['aux', this.remoteShareStream],
    ];
    for (const [slotName, stream] of feeds) {
      for (const video of this.#slottedVideos(slotName)) {
        if (video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
      }
    }
  }

  #handleSlotChange = (event: Event): void => {
    this.#noteFilledSlot(event.target as HTMLSlotElement);
    this.#feedSlottedVideos();
  };

  #noteFilledSlot(slot: HTMLSlotElement): void {
    const filled = slot.assignedNodes().length > 0;
    if (filled === this.filledSlots.has(slot.name)) return;
    const next = new Set(this.filledSlots);
    if (filled) next.add(slot.name);
    else next.delete(slot.name);
    this.filledSlots = next;
  }

  #playRemote = (event: Event): void => {
    const video = event.target as HTMLVideoElement;
    video.play().catch(() => {
      // Autoplay with sound was refused (no user gesture yet): play muted and offer a button.
      video.muted = true;
      this.soundBlocked = true;
      void video.play().catch(() => {});
    });
  };

  #enableSound = (): void => {
    const video = this.remoteVideo;
    if (video) {
      video.muted = false;
      void video.play().catch(() => {});
    }
    this.soundBlocked = false;
  };

  #toggleMic = (): void => {
    this.muted = !this.muted;
  };

  #toggleCamera = (): void => {
    this.cameraOff = !this.cameraOff;
  };

  #dismissError = (): void => {
    this.lastError = undefined;
  };

  #toggleShare = (): void => {
    if (this.localShareStream) this.stopSharing();
    else void this.shareScreen();
  };

  #pickFiles = (): void => this.fileInput?.click();

  #handleFilesPicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.#sendFiles(input.files);
    input.value = '';
  };

  #sendFiles(files: FileList | null | undefined): void {
    for (const file of files ?? []) void this.sendFile(file);
  }

  #toggleChat = (): void => {
    this.chatOpen = !this.chatOpen;
    if (this.chatOpen) this.unreadChat = 0;
  };

  #handleDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files') || this.state !== CallState.Connected) return;
    event.preventDefault(); // accept the drop
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  #handleDragLeave = (event: DragEvent): void => {
    if (!this.contains(event.relatedTarget as Node | null)) this.dragging = false;
  };

  #handleDrop = (event: DragEvent): void => {
    if (!this.dragging) return;
    event.preventDefault();
    this.dragging = false;
    this.#sendFiles(event.dataTransfer?.files);
  };

  protected override render() {
    const t = this.#lang.t;
    const state = this.state;
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>`;
    if (this.#showsLobby) {
      return html`${lobbyView({
        t,
        lobby: this.#lobby,
        name: this.name,
        muted: this.muted,
        cameraOff: this.cameraOff,
        speaker: this.speaker,
        srcObject: srcObject(this.#lobby.stream),
        onName: (name) => (this.name = name),
        onToggleMic: this.#toggleMic,
        onToggleCamera: this.#toggleCamera,
        onPick: this.#pickDevice,
        onJoin: () => void this.join(),
        problem: (code, onRetry) => this.#problems.views?.mediaProblem(t, code, onRetry),
      })}
      ${live}`;
    }
    const inCall = isActive(state);
    const connected = state === CallState.Connected;
    const sharing = Boolean(this.remoteShareStream) || this.hasAuxContent;
    const layout = sharing ? 'share-focused' : this.layout === 'side-by-side' ? 'side-by-side' : 'pip';
    const transfers = this.#transferRows();
    return html`
      <div part="stage" class="stage ${layout} ${sharing ? 'sharing' : ''}">
        <div part="remote" class="tile remote">
          <slot name="remote" @slotchange=${this.#handleSlotChange}>
            <video
              part="remote-video"
              class="remote-video"
              autoplay
              playsinline
              aria-label=${this.remotePeer?.name || t('remote')}
              .srcObject=${srcObject(this.filledSlots.has('remote') ? undefined : this.remoteStream)}
              @loadedmetadata=${this.#playRemote}
              @enterpictureinpicture=${this.#handlePipChange}
              @leavepictureinpicture=${this.#handlePipChange}
            ></video>
          </slot>
          ${connected && this.remoteMedia.cameraOff ? this.#renderAvatar(this.remotePeer?.name ?? '') : nothing}
          ${this.#renderStatus(state)} ${this.#renderRemoteLabel(state)}
        </div>
        <div part="aux" class="tile aux">
          <slot name="aux" @slotchange=${this.#handleAuxSlotChange}>
            <video
              part="aux-video"
              class="aux-video"
              autoplay
              playsinline
              .muted=${true}
              aria-label=${t('sharedBy', { name: this.remotePeer?.name || t('someone') })}
              .srcObject=${srcObject(this.filledSlots.has('aux') ? undefined : this.remoteShareStream)}
            ></video>
          </slot>
        </div>
        <div part="local" class="tile local ${this.cameraOff ? 'camera-off' : ''}" ?hidden=${!inCall}>
          <slot name="local" @slotchange=${this.#handleSlotChange}>
            <video
              part="local-video"
              autoplay
              playsinline
              aria-label=${t('you')}
              .muted=${true}
              .srcObject=${srcObject(this.filledSlots.has('local') ? undefined : this.outgoingStream)}
            ></video>
          </slot>
          ${this.cameraOff ? html`<span class="camera-off-icon">${cameraOffIcon}</span>` : nothing}
          <span class="label">${t('you')}${this.muted ? html` · ${t('micMuted')}` : nothing}</span>
        </div>
        ${this.localShareStream ? this.#panels.views?.sharePreview(t, srcObject(this.localShareStream)) : nothing}
        ${connected ? qualityIndicator(t, this.#quality.shown) : nothing} ${this.#renderVerification()}
        ${this.#renderNotice(state)} ${this.dragging ? this.#panels.views?.dropHint(t) : nothing}
      </div>
      ${
        transfers.length
          ? this.#panels.views?.transfersPanel(
              t,
              transfers,
              (id) => this.cancelFile(id),
              (id) => this.#dismissTransfer(id),
            )
          : nothing
      }
      ${this.chatOpen ? this.#panels.views?.chatPanel(t, this.chatLines, connected, (text) => this.sendChat(text)) : nothing}
      ${this.settingsOpen && inCall ? this.#renderSettings() : nothing}
      <div part="controls" class="controls" role="toolbar" aria-label=${t('controls')}>
        ${inCall ? this.#renderCallControls(connected) : this.#renderJoinButton(state)}
      </div>
      <input type="file" multiple hidden @change=${this.#handleFilesPicked} />
      ${live}
    `;
  }

  #renderSettings() {
    const stream = this.outgoingStream;
    const selected = {
      camera: trackDeviceId(stream?.getVideoTracks()[0]),
      microphone: trackDeviceId(stream?.getAudioTracks()[0]),
      speaker: this.speaker,
    };
    return this.#panels.views?.settingsPanel(this.#lang.t, this.#lobby.devices, selected, this.#pickDevice);
  }

  #renderVerification() {
    const t = this.#lang.t;
    const code = this.verificationCode;
    if (!code || this.state !== CallState.Connected) return nothing;
    return html`<div part="verification" class="verification" title=${t('verificationHint')}>
      <span>${t('verificationCode')} <strong class="code">${code}</strong></span>
      ${
        this.verified
          ? html`<span class="verified">✓ ${t('verified')}</span>`
          : html`${
                this.verifiedByPeer
                  ? html`<span part="peer-verified" class="peer-verified"
                      >${t('peerVerified', { name: this.remotePeer?.name || t('someone') })}</span
                    >`
                  : nothing
              }
              <button part="verify-button" class="link-button" @click=${() => this.verify()}>
                ${t('codesMatch')}
              </button>`
      }
    </div>`;
  }

  #dismissTransfer(id: string): void {
    this.#transfers?.dismiss(id);
    this.requestUpdate();
  }

  #changeTransfers(change: (list: TransferList) => void): void {
    this.#transferChanges.push(change);
    this.#transferRows(); // at once when the chunk is here; else it starts loading, and its arrival re-renders
  }

  /** The rows, once waiting changes are applied (when the panels chunk is here). */
  #transferRows(): TransferRow[] {
    const views = this.#transferChanges.length ? this.#panels.views : undefined;
    if (views) {
      const list = (this.#transfers ??= new views.TransferList());
      for (const change of this.#transferChanges.splice(0)) change(list);
    }
    return this.#transfers?.rows ?? [];
  }

  #clearTransfers(): void {
    this.#transferChanges = [];
    this.#transfers?.clear();
  }

  #renderAvatar(name: string) {
    const initial = (name.trim()[0] ?? '?').toUpperCase();
    return html`<div class="avatar" aria-hidden="true"><span>${initial}</span></div>`;
  }

  #handleAuxSlotChange = (event: Event): void => {
    const slot = event.target as HTMLSlotElement;
    this.#noteFilledSlot(slot);
    // Host content in the aux slot that is not a video for the remote share (a document view) is always shown.
    this.hasAuxContent = slot.assignedElements().some((element) => !(element instanceof HTMLVideoElement));
    this.#feedSlottedVideos();
  };

  #renderStatus(state: CallState) {
    const t = this.#lang.t;
    if ((state === CallState.Connected || state === CallState.Connecting) && this.remoteStream) return nothing;
    const error = this.lastError;
    const fatal = error && !error.recoverable && !isActive(state);
    if ((state === CallState.Error || fatal) && error) {
      // Camera/microphone problems get the actionable screen (what to do, in this browser); others the message.
      if (isMediaProblem(error.code)) {
        return html`<div part="status" class="status" data-kind="error" role="alert">
          ${this.#problems.views?.mediaProblem(t, error.code, undefined, 'h2', false)}
        </div>`;
      }
      return html`<div part="status" class="status" data-kind="error" role="alert">
        <strong>${t('status_error')}</strong>
        <span>${error.message}</span>
      </div>`;
    }
    return html`<div part="status" class="status">${t(`status_${state}`)}</div>`;
  }

  #renderRemoteLabel(state: CallState) {
    const t = this.#lang.t;
    if (state !== CallState.Connected) return nothing;
    const flags = [
      this.remoteMedia.muted ? t('micMuted') : '',
      this.remoteMedia.cameraOff ? t('cameraIsOff') : '',
    ].filter(Boolean);
    const name = this.remotePeer?.name || t('remote');
    return html`<span class="label remote-label">${[name, ...flags].join(' · ')}</span>`;
  }

  #renderNotice(state: CallState) {
    const t = this.#lang.t;
    if (this.soundBlocked) {
      return html`<div part="notice" class="notice">
        <span>${t('soundBlocked')}</span>
        <button part="sound-button" class="text-button" @click=${this.#enableSound}>
          ${soundIcon} ${t('enableSound')}
        </button>
      </div>`;
    }
    if (this.lastError?.recoverable && state !== CallState.Error) {
      return html`<div part="notice" class="notice" role="alert">
        <span
          >${isMediaProblem(this.lastError.code) ? t(`problem_${this.lastError.code}` as StringKey) : this.lastError.message}</span
        >
        <button class="link-button" @click=${this.#dismissError}>${t('dismiss')}</button>
      </div>`;
    }
    return nothing;
  }

  #renderJoinButton(state: CallState) {
    const t = this.#lang.t;
    const label = state === CallState.Idle ? t('join') : t('rejoin');
    return html`<button part="join-button" class="text-button" @click=${() => this.join()}>
      ${phoneIcon} ${label}
    </button>`;
  }

  #renderCallControls(connected: boolean) {
    const t = this.#lang.t;
    const sharing = Boolean(this.localShareStream);
    const fullscreen = document.fullscreenElement === this;
    return html`
      ${toggleButton('mic-button', this.muted, this.muted ? t('unmute') : t('mute'), this.muted ? micOffIcon : micIcon, this.#toggleMic)}
      ${toggleButton('camera-button', this.cameraOff, this.cameraOff ? t('cameraOn') : t('cameraOff'), this.cameraOff ? cameraOffIcon : cameraIcon, this.#toggleCamera)}
      ${toggleButton('share-button', sharing, sharing ? t('stopSharing') : t('shareScreen'), screenIcon, this.#toggleShare, !connected)}
      ${iconButton('file-button', t('sendFile'), fileIcon, this.#pickFiles, !connected)}
      ${toggleButton('chat-button', this.chatOpen, this.chatOpen ? t('closeChat') : t('openChat'), chatIcon, this.#toggleChat)}
      ${this.unreadChat ? html`<span class="badge" role="img" aria-label=${t('unread', { count: this.unreadChat })}>${this.unreadChat}</span>` : nothing}
      ${toggleButton('settings-button', this.settingsOpen, t('settings'), settingsIcon, this.#toggleSettings)}
      ${
        document.fullscreenEnabled
          ? toggleButton(
              'fullscreen-button',
              fullscreen,
              fullscreen ? t('exitFullscreen') : t('fullscreen'),
              fullscreenIcon,
              this.#toggleFullscreen,
            )
          : nothing
      }
      ${
        document.pictureInPictureEnabled
          ? toggleButton(
              'pip-button',
              this.pipActive,
              this.pipActive ? t('exitPip') : t('pip'),
              pipIcon,
              this.#togglePip,
              !this.remoteStream,
            )
          : nothing
      }
      ${iconButton('leave-button', t('leave'), hangUpIcon, () => this.leave(), false, 'hang-up')}
    `;
  }

  #toggleSettings = (): void => {
    this.settingsOpen = !this.settingsOpen;
    if (this.settingsOpen) void this.#lobby.refreshDevices();
  };
}
