import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ErrorCode, P2PCallError, type ErrorDetail } from '../errors.js';
import { CANCELABLE_EVENTS, type CallEventMap, type CallEventName } from '../events.js';
import { CallState } from '../session/call-state.js';
import type { PeerInfo } from '../signaling/protocol.js';
import { createSignaling } from '../signaling/create-signaling.js';
import type { SignalingAdapter } from '../signaling/signaling-adapter.js';
import { iceServersConverter } from './attribute-converters.js';
import { cameraIcon, cameraOffIcon, hangUpIcon, micIcon, micOffIcon, phoneIcon, soundIcon } from './icons.js';
import { styles } from './p2p-call.styles.js';
import { SessionController } from './session-controller.js';
import { strings } from './strings.js';

/**
 * A private, peer-to-peer video call between two people. Audio and video go straight from one browser to the
 * other; a signaling channel only introduces the two.
 *
 * @summary Drop-in two-person WebRTC call.
 *
 * @slot local - A `<video>` (or an element containing one) that shows your own camera instead of the built-in view.
 * @slot remote - A `<video>` that shows the other person instead of the built-in view.
 * @slot aux - Anything shown next to the cameras (a shared screen or document view).
 *
 * @csspart stage - The area holding the video tiles.
 * @csspart remote - The other person's tile.
 * @csspart remote-video - The built-in video of the other person.
 * @csspart local - Your own tile (picture-in-picture).
 * @csspart local-video - The built-in video of your camera.
 * @csspart aux - The auxiliary tile.
 * @csspart status - The status text over the remote tile (waiting, connecting, errors).
 * @csspart notice - A dismissible notice (a recoverable error, blocked sound).
 * @csspart controls - The control bar.
 * @csspart join-button - The button that joins (or rejoins) the call.
 * @csspart mic-button - The microphone toggle.
 * @csspart camera-button - The camera toggle.
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
 * @fires p2p-state-change - The call state changed. `detail: {state, previous}`.
 * @fires p2p-peer-join - The other person entered the room. `detail: {peer: {id, name}}`.
 * @fires p2p-peer-leave - The other person left. `detail: {peer}`.
 * @fires p2p-local-stream - Your camera/microphone stream is ready. `detail: {stream}`.
 * @fires p2p-remote-stream - The other person's stream arrived. `detail: {stream}`.
 * @fires p2p-local-media - Your mic/camera state changed. `detail: {muted, cameraOff}`.
 * @fires p2p-remote-media - The other person muted or turned the camera off/on. `detail: {muted, cameraOff}`.
 * @fires p2p-error - Something failed. `detail: {code, message, recoverable}`.
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

  @state() private remoteMedia = { muted: false, cameraOff: false };
  @state() private lastError?: ErrorDetail;
  @state() private soundBlocked = false;
  @state() private announcement = '';

  @query('video.remote-video') private remoteVideo?: HTMLVideoElement;

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
    const session = this.#controller.start({
      signaling,
      room: this.room,
      name: this.name,
      token: this.token || undefined,
      iceServers: this.iceServers ?? [],
      muted: this.muted,
      cameraOff: this.cameraOff,
      localStream: this.localStream,
    });
    await session.join();
  }

  /** Leaves the call: the other person sees you leave, your camera and microphone turn off. */
  leave(): void {
    this.#controller.stop();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.autoJoin) return;
    void this.updateComplete.then(() => {
      if (this.isConnected) void this.join();
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
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
  }

  #reflectState(): void {
    if (this.getAttribute('state') !== this.state) this.setAttribute('state', this.state);
  }

  #resolveSignaling(): SignalingAdapter {
    if (!this.room) throw new P2PCallError(ErrorCode.InvalidConfig, 'Set the room attribute before joining.');
    if (this.iceServers === null) {
      throw new P2PCallError(ErrorCode.InvalidConfig, 'ice-servers must be a JSON array of RTCIceServer objects.');
    }
    if (typeof this.signaling === 'object' && this.signaling) return this.signaling;
    if (!this.signaling) {
      throw new P2PCallError(ErrorCode.InvalidConfig, 'Set the signaling attribute (a ws:// URL or "broadcast").');
    }
    return createSignaling(this.signaling);
  }

  #reportConfigError(error: unknown): void {
    const detail =
      error instanceof P2PCallError
        ? error.toDetail()
        : { code: ErrorCode.InvalidConfig, message: String(error), recoverable: false };
    this.lastError = detail;
    this.#dispatch('error', detail);
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
        this.announcement = strings.joinedAnnouncement((detail as CallEventMap['peer-join']).peer.name);
        break;
      case 'peer-leave':
        this.announcement = strings.leftAnnouncement((detail as CallEventMap['peer-leave']).peer.name);
        this.remoteMedia = { muted: false, cameraOff: false };
        break;
      case 'error':
        this.lastError = detail as ErrorDetail;
        break;
    }
    this.#dispatch(name, detail);
  }

  #dispatch<K extends CallEventName>(name: K, detail: CallEventMap[K]): boolean {
    return this.dispatchEvent(
      new CustomEvent(`p2p-${name}`, { detail, bubbles: true, composed: true, cancelable: CANCELABLE_EVENTS.has(name) }),
    );
  }

  /** Slotted videos are the host's elements: give each the right stream whenever slots or streams change. */
  #feedSlottedVideos(): void {
    const feeds: Array<[string, MediaStream | undefined]> = [
      ['local', this.outgoingStream],
      ['remote', this.remoteStream],
    ];
    for (const [slotName, stream] of feeds) {
      const slot = this.renderRoot.querySelector<HTMLSlotElement>(`slot[name="${slotName}"]`);
      for (const element of slot?.assignedElements({ flatten: true }) ?? []) {
        const video = element instanceof HTMLVideoElement ? element : element.querySelector('video');
        if (video && video.srcObject !== (stream ?? null)) video.srcObject = stream ?? null;
      }
    }
  }

  #handleSlotChange = (): void => this.#feedSlottedVideos();

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

  protected override render() {
    const state = this.state;
    const inCall = state !== CallState.Idle && state !== CallState.Ended && state !== CallState.Error;
    return html`
      <div part="stage" class="stage">
        <div part="remote" class="tile remote">
          <slot name="remote" @slotchange=${this.#handleSlotChange}>
            <video
              part="remote-video"
              class="remote-video"
              autoplay
              playsinline
              aria-label=${this.remotePeer?.name || strings.remote}
              .srcObject=${this.remoteStream ?? null}
              @loadedmetadata=${this.#playRemote}
            ></video>
          </slot>
          ${this.#renderStatus(state)} ${this.#renderRemoteLabel(state)}
        </div>
        <div part="local" class="tile local ${this.cameraOff ? 'camera-off' : ''}" ?hidden=${!inCall}>
          <slot name="local" @slotchange=${this.#handleSlotChange}>
            <video
              part="local-video"
              autoplay
              playsinline
              aria-label=${strings.you}
              .muted=${true}
              .srcObject=${this.outgoingStream ?? null}
            ></video>
          </slot>
          <span class="label">${strings.you}${this.muted ? html` · ${strings.remoteMuted}` : nothing}</span>
        </div>
        <div part="aux" class="tile aux">
          <slot name="aux" @slotchange=${this.#handleAuxSlotChange}></slot>
        </div>
        ${this.#renderNotice(state)}
      </div>
      <div part="controls" class="controls" role="toolbar" aria-label=${strings.controls}>
        ${inCall ? this.#renderCallControls() : this.#renderJoinButton(state)}
      </div>
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    `;
  }

  #handleAuxSlotChange = (event: Event): void => {
    const slot = event.target as HTMLSlotElement;
    slot.parentElement?.classList.toggle('has-content', slot.assignedElements().length > 0);
  };

  #renderStatus(state: CallState) {
    if (state === CallState.Connected && this.remoteStream) return nothing;
    if (state === CallState.Error && this.lastError) {
      return html`<div part="status" class="status" data-kind="error" role="alert">
        <strong>${strings.status.error}</strong>
        <span>${this.lastError.message}</span>
      </div>`;
    }
    return html`<div part="status" class="status">${strings.status[state]}</div>`;
  }

  #renderRemoteLabel(state: CallState) {
    if (state !== CallState.Connected) return nothing;
    const flags = [
      this.remoteMedia.muted ? strings.remoteMuted : '',
      this.remoteMedia.cameraOff ? strings.remoteCameraOff : '',
    ].filter(Boolean);
    const name = this.remotePeer?.name || strings.remote;
    return html`<span class="label remote-label">${[name, ...flags].join(' · ')}</span>`;
  }

  #renderNotice(state: CallState) {
    if (this.soundBlocked) {
      return html`<div part="notice" class="notice">
        <span>${strings.enableSound}?</span>
        <button class="text-button" @click=${this.#enableSound}>${soundIcon} ${strings.enableSound}</button>
      </div>`;
    }
    if (this.lastError?.recoverable && state !== CallState.Error) {
      return html`<div part="notice" class="notice" role="alert">
        <span>${this.lastError.message}</span>
        <button class="link-button" @click=${this.#dismissError}>${strings.dismiss}</button>
      </div>`;
    }
    return nothing;
  }

  #renderJoinButton(state: CallState) {
    const label = state === CallState.Idle ? strings.join : strings.rejoin;
    return html`<button part="join-button" class="text-button" @click=${() => this.join()}>${phoneIcon} ${label}</button>`;
  }

  #renderCallControls() {
    return html`
      <button
        part="mic-button"
        class="control"
        aria-pressed=${this.muted ? 'true' : 'false'}
        aria-label=${this.muted ? strings.unmute : strings.mute}
        title=${this.muted ? strings.unmute : strings.mute}
        @click=${this.#toggleMic}
      >
        ${this.muted ? micOffIcon : micIcon}
      </button>
      <button
        part="camera-button"
        class="control"
        aria-pressed=${this.cameraOff ? 'true' : 'false'}
        aria-label=${this.cameraOff ? strings.cameraOn : strings.cameraOff}
        title=${this.cameraOff ? strings.cameraOn : strings.cameraOff}
        @click=${this.#toggleCamera}
      >
        ${this.cameraOff ? cameraOffIcon : cameraIcon}
      </button>
      <button part="leave-button" class="control hang-up" aria-label=${strings.leave} title=${strings.leave} @click=${() => this.leave()}>
        ${hangUpIcon}
      </button>
    `;
  }
}
