import { html, type PropertyValues } from 'lit';
import { state } from 'lit/decorators.js';
import { ErrorCode, P2PCallError, type ErrorDetail } from '../errors.js';
import type { FileTransferResult, MediaStateDetail } from '../session/call-events.js';
import { CallState, isActive } from '../session/call-state.js';
import type { DeviceKind } from '../session/devices.js';
import type { PeerInfo } from '../signaling/protocol.js';
import { Announcements } from './announcements.js';
import { CallAttributes } from './call-attributes.js';
import { fileLimits, sessionOptions, type Layout } from './call-config.js';
import { dispatchCallEvent } from './call-dom-events.js';
import { callView } from './call-view.js';
import { FileDropController } from './file-drop-controller.js';
import { LanguageController } from './i18n/language-controller.js';
import { LazyViews } from './lazy-views.js';
import { lobbyView } from './lobby.js';
import { LobbyController } from './lobby-controller.js';
import { MediaElementsController } from './media-elements-controller.js';
import { styles } from './p2p-call.styles.js';
import { QualityView } from './quality-view.js';
import { SessionController } from './session-controller.js';
import { ShortcutsController } from './shortcuts.js';
import { TransfersController } from './transfers-controller.js';

export type { Layout };

/** Chunks of views shown on request (see lazy-views.ts); one loader each, shared by every element of the page. */
const loadPanels = () => import('./panels.js');
const loadProblemScreens = () => import('./media-problem.js');

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
 * @fires {CustomEvent<RouteDetail>} p2p-route - How media travels, and again whenever that changes (in Firefox within 2 s). `detail: {route: 'direct'|'relay', local, remote, protocol}`.
 * @fires {CustomEvent<ReconnectingDetail>} p2p-reconnecting - The connection broke; a fresh one is being negotiated. `detail: {reason}`.
 * @fires {CustomEvent<RecoveredDetail>} p2p-recovered - The connection is back. `detail: {durationMs, attempts}`.
 * @fires {CustomEvent<QualityDetail>} p2p-quality - Connection quality, at most once a second while connected. `detail: {rtt, jitter, loss, delay, route, level, budget, overBudget}`.
 * @fires {CustomEvent<ErrorDetail>} p2p-error - Something failed. `detail: {code, message, recoverable}`.
 *
 * @attr {CallState} state - Read-only, reflected: `idle | joining | waiting | connecting | connected | reconnecting | ended | error`.
 */
export class P2PCall extends CallAttributes {
  static override styles = styles;

  // Internal state. Controllers own one concern each; what is left here is what several of them read.
  @state() private remoteMedia: MediaStateDetail = { muted: false, cameraOff: false };
  @state() private lastError?: ErrorDetail;
  @state() private settingsOpen = false;
  readonly #lang = new LanguageController(this);
  readonly #call = new SessionController(this);
  readonly #lobby = new LobbyController(this, {
    showing: () => this.state === CallState.Idle && !this.noLobby && !this.autoJoin && this.isConnected,
    meter: () => this.renderRoot?.querySelector<HTMLMeterElement>('meter.mic-level'),
    opened: () => {
      this.#lobby.setEnabled(this.muted, this.cameraOff);
      this.#call.prefetch(); // the person is looking at the preview: a Join is seconds away
    },
  });
  readonly #media = new MediaElementsController(this, this.#call);
  readonly #panels = new LazyViews(this, loadPanels);
  readonly #problems = new LazyViews(this, loadProblemScreens);
  readonly #transfers = new TransfersController(this, this.#panels, this.#call);
  readonly #files = new FileDropController(
    this,
    () => this.state === CallState.Connected,
    (file) => void this.sendFile(file),
  );
  readonly #announcements = new Announcements(this.#call, () => this.#lang.t);
  readonly #quality = new QualityView().follow(this.#call, this);

  constructor() {
    super();
    // Controllers register themselves with the element; this one needs no other handle.
    new ShortcutsController(
      this,
      () => this.state !== CallState.Ended && this.state !== CallState.Error,
      (action) => (action === 'mic' ? this.#handlers.toggleMic() : this.#handlers.toggleCamera()),
    );
    const on = this.#call.on.bind(this.#call);
    // Reflected before dispatching, so a p2p-state-change listener sees attribute and property agree.
    on('state-change', () => this.#reflectState());
    on('local-media', ({ muted, cameraOff }) => Object.assign(this, { muted, cameraOff }));
    on('remote-media', (media) => (this.remoteMedia = media));
    on('peer-leave', () => (this.remoteMedia = { muted: false, cameraOff: false }));
    on('error', (error) => (this.lastError = error));
  }

  /** The call's state (reflected as the read-only `state` attribute). */
  get state(): CallState {
    return this.#call.state;
  }

  /** The other person's media stream while connected. */
  get remoteStream(): MediaStream | undefined {
    return this.#call.session?.remoteStream;
  }

  /** The other participant, once known. */
  get remotePeer(): PeerInfo | undefined {
    return this.#call.session?.remotePeer;
  }

  /** The stream this side sends (camera and microphone, or `localStream`). */
  get outgoingStream(): MediaStream | undefined {
    return this.#call.session?.localStream;
  }

  /** What you are sharing (screen or host stream), if anything. */
  get localShareStream(): MediaStream | undefined {
    return this.#call.session?.localShareStream;
  }

  /** What the other person is sharing, if anything. */
  get remoteShareStream(): MediaStream | undefined {
    return this.#call.session?.remoteShareStream;
  }

  /**
   * The verification code both people compare (e.g. "123 456"). It is the same on both sides only if no one sits
   * in the middle of the connection. Undefined until both sides exchanged their verification data.
   */
  get verificationCode(): string | undefined {
    return this.#call.session?.verificationCode;
  }

  /**
   * True once you (or the host, by `verify()`) confirmed that the codes match. Only this side can set it: the other
   * person's confirmation is `verifiedByPeer`, which whoever sits in the middle could also claim.
   */
  get verified(): boolean {
    return this.#call.session?.verified ?? false;
  }

  /** True once the other side said its person confirmed the current code: a hint to compare, never proof. */
  get verifiedByPeer(): boolean {
    return this.#call.session?.verifiedByPeer ?? false;
  }

  /**
   * Joins the room: asks for camera and microphone, then connects to the other person when they are there. The state
   * is `joining` from the call on. Resolves when joined or failed; a failure is reported by `p2p-error` and the
   * `error` state (`unsupported` when this browser cannot call), never a rejection.
   */
  async join(): Promise<void> {
    if (isActive(this.state)) return;
    this.lastError = undefined;
    let options;
    try {
      options = sessionOptions(this);
    } catch (error) {
      if (error instanceof P2PCallError && error.code === ErrorCode.Unsupported) this.#call.fail(error.toDetail());
      else this.#reportConfigError(error);
      return;
    }
    // The lobby's camera and microphone become the call's (a host's own stream wins): no second capture on Join.
    const capturedMedia = this.localStream ? (this.#lobby.stop(), undefined) : this.#lobby.handOver();
    this.#quality.clear();
    this.#transfers.clear();
    await this.#call.start({
      ...options,
      capturedMedia,
      devices: { camera: this.#lobby.pick.camera, microphone: this.#lobby.pick.microphone },
      shownFrames: (stream) => this.#media.shownFrames(stream),
      // The host's veto, as the session's answer: a prevented `p2p-file-offer` refuses the file before a byte is sent.
      acceptFile: (offer) => {
        const accepted = dispatchCallEvent(this, 'file-offer', offer);
        if (accepted) this.#transfers.accepted(offer);
        return accepted;
      },
    });
  }

  /** Leaves the call: the other person sees you leave, your camera and microphone turn off. */
  leave(): void {
    this.#call.stop();
  }

  /** Shares your screen (or a window or tab, picked in the browser's dialog) next to the camera. */
  async shareScreen(): Promise<void> {
    await this.#call.session?.shareScreen();
  }

  /** Shares any video stream you make (a canvas of an editor, a PDF viewer, a whiteboard). You keep ownership. */
  shareStream(stream: MediaStream): void {
    this.#call.require('shareStream()')?.shareStream(stream);
  }

  /** Stops sharing; the camera keeps flowing. */
  stopSharing(): void {
    this.#call.session?.stopSharing();
  }

  /**
   * Sends app data to the other side (any JSON value, or an ArrayBuffer/typed array, up to 64 KiB), ordered and
   * reliable; it arrives there as `p2p-data`. Throws a P2PCallError (`not-connected`, `message-too-large`).
   */
  send(data: unknown): void {
    const session = this.#call.session;
    if (!session) throw new P2PCallError(ErrorCode.NotConnected, 'send() needs a connected call.', true);
    session.send(data);
  }

  /**
   * Offers a file to the other side and sends it directly, peer to peer, once accepted. Resolves with the outcome
   * (`delivered`, `refused`, `cancelled`, `failed`); never rejects.
   */
  async sendFile(file: Blob, name?: string): Promise<FileTransferResult> {
    const session = this.#call.require('sendFile()');
    if (!session) return { id: '', status: 'failed', reason: 'not-connected' };
    return session.sendFile(file, name);
  }

  /** Cancels a file transfer (either direction). */
  cancelFile(id: string): void {
    this.#call.session?.cancelFile(id);
  }

  /** Sends a chat line (shown in both chat panels, and as `p2p-chat` on both sides). */
  sendChat(text: string): void {
    try {
      this.#call.require('sendChat()')?.sendChat(text);
    } catch (error) {
      if (error instanceof P2PCallError) this.#call.report(error.toDetail());
    }
  }

  /**
   * Marks the call verified on this side (the codes matched). The other side gets `p2p-verified {by: 'remote'}` and
   * shows it as a hint; it is verified there only when its own person confirms too.
   */
  verify(): void {
    this.#call.session?.verify();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.autoJoin) return;
    void this.updateComplete.then(() => {
      if (this.isConnected) void this.join();
    });
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
    const session = this.#call.session;
    if (['maxFileSize', 'maxIncomingFiles', 'maxIncomingBytes'].some((key) => changed.has(key as keyof P2PCall))) {
      try {
        session?.setFileLimits(fileLimits(this));
      } catch (error) {
        this.#reportConfigError(error, true); // the limits in force stay as they were
      }
    }
    if (changed.has('latencyBudget') && session) session.latencyBudget = this.latencyBudget;
    if (changed.has('muted') || changed.has('cameraOff')) {
      this.#lobby.setEnabled(this.muted, this.cameraOff);
      // Applied before rendering, so the session's answering `local-media` event lands in this same update.
      if (session && (session.muted !== this.muted || session.cameraOff !== this.cameraOff)) {
        session.setMedia({ muted: this.muted, cameraOff: this.cameraOff });
      }
    }
  }

  protected override updated(): void {
    this.#reflectState();
  }

  #reportConfigError(error: unknown, recoverable = false): void {
    const detail =
      error instanceof P2PCallError ? error.toDetail() : { code: ErrorCode.InvalidConfig, message: String(error) };
    this.#call.report({ ...detail, recoverable });
  }

  #reflectState(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  #handlers = {
    name: (name: string) => (this.name = name),
    join: () => void this.join(),
    leave: () => this.leave(),
    toggleMic: () => (this.muted = !this.muted),
    toggleCamera: () => (this.cameraOff = !this.cameraOff),
    toggleShare: () => (this.localShareStream ? this.stopSharing() : void this.shareScreen()),
    toggleSettings: () => {
      this.settingsOpen = !this.settingsOpen;
      if (this.settingsOpen) void this.#lobby.refreshDevices();
    },
    pickDevice: (kind: DeviceKind, id: string) => {
      if (kind === 'speaker') return this.#media.pickSpeaker(id);
      this.#lobby.pick[kind] = id;
      if (this.#lobby.open) void this.#lobby.start();
      else void this.#call.session?.switchDevice(kind, id);
    },
    pickFiles: this.#files.pick,
    filesPicked: this.#files.handlePicked,
    cancelFile: (id: string) => this.cancelFile(id),
    sendChat: (text: string) => this.sendChat(text),
    verify: () => this.verify(),
    dismissError: () => (this.lastError = undefined),
  };

  protected override render() {
    const t = this.#lang.t;
    const live = this.#announcements.render();
    if (this.#lobby.showing) {
      const lobby = { t, lobby: this.#lobby, speaker: this.#media.speaker, problems: this.#problems };
      return html`${lobbyView(this, { ...lobby, on: this.#handlers })} ${live}`;
    }
    return html`${callView(this, {
      t,
      remoteMedia: this.remoteMedia,
      error: this.lastError,
      quality: this.#quality.shown,
      settingsOpen: this.settingsOpen,
      devices: this.#lobby.devices,
      media: this.#media,
      transfers: this.#transfers,
      dragging: this.#files.dragging,
      panels: this.#panels,
      problems: this.#problems,
      on: this.#handlers,
    })}
    ${live}`;
  }
}
