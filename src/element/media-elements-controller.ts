/**
 * The video elements that show the call, built-in or the host's own (slotted): which stream goes where, which
 * speaker plays the other person, sound the browser refused to autoplay, picture-in-picture and full screen.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import type { CallSession } from '../session/call-session.js';
import { CallState } from '../session/call-state.js';
import { canFullscreen, canPictureInPicture } from './browser-support.js';
import type { SessionController } from './session-controller.js';

/**
 * The built-in self-view starts late when someone is already in the room: a second video player starting beside the
 * two encoders and the decoder of a call's first second holds back the other person's first picture on a slow
 * machine. These bound the wait. Once connected, past SELF_VIEW_AFTER_CONNECTED_MS the other picture is late for a
 * reason of its own (their camera is off, a slow machine) and this side shows itself anyway; SELF_VIEW_AFTER_PEER_MS
 * is the same bound from the moment the other person is known, for a connection that is slow to come up.
 */
export const SELF_VIEW_AFTER_CONNECTED_MS = 1000;
export const SELF_VIEW_AFTER_PEER_MS = 3000;
/**
 * Alone in the room, the self-view starts after this long: signaling can report the person already there a few
 * tens of milliseconds after this side entered (BroadcastChannel discovery), and two people entering together are
 * each alone for that moment.
 */
export const SELF_VIEW_ALONE_MS = 200;

export type SlotName = 'local' | 'remote' | 'aux';

type SinkVideo = HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> };

export class MediaElementsController implements ReactiveController {
  /**
   * Slots the host filled with its own view. Their built-in fallback videos get no stream: a video that is not shown
   * still runs a player (CPU on a busy call) and, for the remote one, would play the other person's sound twice.
   */
  filledSlots: ReadonlySet<string> = new Set();
  /** Host content in the aux slot that is not a video for the remote share (a document view): always shown. */
  hasAuxContent = false;
  /** The browser refused to play the other person's sound without a click: the video plays muted meanwhile. */
  soundBlocked = false;
  pipActive = false;
  /** The speaker picked for the other person's sound (a device id), if any. */
  speaker?: string;
  #appliedSpeaker?: string;
  /** When the built-in self-view gets its stream (see SELF_VIEW_AFTER_PEER_MS); per call, once shown it stays. */
  #selfViewSession?: CallSession;
  #selfViewShown = false;
  #selfViewTimer?: ReturnType<typeof setTimeout>;
  #selfViewDeadline = Infinity;
  /** The pending timer is the one for being alone (replaced when someone arrives). */
  #selfViewAlone = false;
  /** The videos that can show the other person or their share, built-in and slotted (see shownFrames). */
  #remoteViews: HTMLVideoElement[] = [];
  /** The remote video whose first frame is awaited, with what stops the wait. */
  #framesWatched?: { video: HTMLVideoElement; stop: () => void };

  constructor(
    private readonly host: ReactiveElement & HTMLElement,
    private readonly session: SessionController,
  ) {
    host.addController(this);
    // A new remote stream is a new chance to play with sound (the last refusal was about another one).
    session.on('remote-stream', () => (this.soundBlocked = false));
    session.on('state-change', ({ state }) => {
      if (state === CallState.Connected && !this.#selfViewDue()) this.#showSelfViewWithin(SELF_VIEW_AFTER_CONNECTED_MS);
    });
  }

  /** The video showing the other person: the host's, when it filled the `remote` slot, else the built-in one. */
  get remoteVideo(): HTMLVideoElement | null {
    return this.#slottedVideos('remote')[0] ?? this.host.renderRoot?.querySelector('video.remote-video') ?? null;
  }

  /**
   * How many frames of `stream` the videos showing it have shown so far, from their players' own count (a read that
   * stays on the main thread); undefined when no video shows it. The session's watch of the media path asks it four
   * times a second: it reads the videos found at the last render or slot change, no query.
   */
  shownFrames(stream: MediaStream): number | undefined {
    let frames: number | undefined;
    for (const video of this.#remoteViews) {
      if (video.srcObject !== stream || typeof video.getVideoPlaybackQuality !== 'function') continue;
      frames = (frames ?? 0) + video.getVideoPlaybackQuality().totalVideoFrames;
    }
    return frames;
  }

  get fullscreen(): boolean {
    return document.fullscreenElement === this.host;
  }

  get canFullscreen(): boolean {
    return canFullscreen();
  }

  get canPictureInPicture(): boolean {
    return canPictureInPicture();
  }

  /** The built-in view's stream for a slot: none while the host's own view fills it. */
  builtInStream(slot: SlotName): MediaStream | undefined {
    if (this.filledSlots.has(slot)) return undefined;
    if (slot === 'local' && !this.#selfViewDue()) return undefined;
    return this.#stream(slot);
  }

  pickSpeaker(id: string): void {
    this.speaker = id;
    this.host.requestUpdate();
  }

  handleSlotChange = (event: Event): void => {
    const slot = event.target as HTMLSlotElement;
    const filled = slot.assignedNodes().length > 0;
    if (filled !== this.filledSlots.has(slot.name)) {
      const next = new Set(this.filledSlots);
      if (filled) next.add(slot.name);
      else next.delete(slot.name);
      this.filledSlots = next;
    }
    if (slot.name === 'aux') {
      this.hasAuxContent = slot.assignedElements().some((element) => !(element instanceof HTMLVideoElement));
    }
    this.#feedSlottedVideos();
    this.host.requestUpdate();
  };

  /** The built-in remote video's `loadedmetadata`: play with sound, or, where autoplay with sound is refused (no
   * click on the page yet), play muted and offer the button that turns sound on. */
  playRemote = (event: Event): void => {
    const video = event.target as HTMLVideoElement;
    video.play().catch((error: unknown) => {
      // Only NotAllowedError is the browser's autoplay policy. An AbortError is a newer stream's load (a recovery, a
      // camera switched on the other side) interrupting this play(): that load plays again, with its sound.
      if ((error as { name?: string } | null)?.name !== 'NotAllowedError') return;
      video.muted = true;
      this.soundBlocked = true;
      this.host.requestUpdate();
      void video.play().catch(() => {});
    });
  };

  /** The "enable sound" button: a click is the gesture the browser waited for. */
  enableSound = (): void => {
    const video = this.remoteVideo;
    if (video) {
      video.muted = false;
      void video.play().catch(() => {});
    }
    this.soundBlocked = false;
    this.host.requestUpdate();
  };

  togglePictureInPicture = (): void => {
    if (this.pipActive) void document.exitPictureInPicture().catch(() => {});
    else void this.remoteVideo?.requestPictureInPicture().catch(() => {});
  };

  handlePictureInPictureChange = (event: Event): void => {
    this.pipActive = event.type === 'enterpictureinpicture';
    this.host.requestUpdate();
  };

  toggleFullscreen = (): void => {
    if (this.fullscreen) void document.exitFullscreen();
    else void this.host.requestFullscreen().catch(() => {});
  };

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.#handleFullscreenChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.#handleFullscreenChange);
    this.#stopSelfViewWait();
  }

  hostUpdated(): void {
    this.#feedSlottedVideos();
    this.#applySpeaker();
    if (this.#selfViewDeadline !== Infinity && !this.#selfViewShown) this.#watchFirstRemoteFrame();
  }

  /** Whether the built-in self-view shows this side's stream now (decided at render time). */
  #selfViewDue(): boolean {
    const session = this.session.session;
    if (session !== this.#selfViewSession) {
      this.#stopSelfViewWait();
      this.#selfViewSession = session;
      this.#selfViewShown = false;
    }
    if (!session || this.#selfViewShown) return this.#selfViewShown;
    switch (session.state) {
      case CallState.Waiting:
        // Alone: nothing to compete with, once nobody turned out to be there already.
        if (!this.#selfViewAlone) this.#restartSelfViewWait(SELF_VIEW_ALONE_MS, true);
        break;
      case CallState.Connecting:
      case CallState.Connected:
      case CallState.Reconnecting:
        if (this.#selfViewAlone) this.#restartSelfViewWait(SELF_VIEW_AFTER_PEER_MS, false);
        else this.#showSelfViewWithin(SELF_VIEW_AFTER_PEER_MS);
        break;
    }
    return this.#selfViewShown;
  }

  /** Shows the self-view at the latest `ms` from now (an earlier bound stays). */
  #showSelfViewWithin(ms: number): void {
    if (this.#selfViewShown || !this.#selfViewSession) return;
    const deadline = performance.now() + ms;
    if (deadline >= this.#selfViewDeadline) return;
    this.#selfViewDeadline = deadline;
    clearTimeout(this.#selfViewTimer);
    this.#selfViewTimer = setTimeout(this.#showSelfView, ms);
  }

  #restartSelfViewWait(ms: number, alone: boolean): void {
    this.#stopSelfViewWait();
    this.#selfViewAlone = alone;
    this.#showSelfViewWithin(ms);
  }

  #showSelfView = (): void => {
    this.#stopSelfViewWait();
    if (this.#selfViewShown) return;
    this.#selfViewShown = true;
    this.host.requestUpdate();
  };

  /** Waits for the other person's first frame on whichever video shows them (built-in or slotted). */
  #watchFirstRemoteFrame(): void {
    const video = this.remoteVideo;
    if (!video?.srcObject || this.#framesWatched?.video === video) return;
    this.#framesWatched?.stop();
    let stopped = false;
    const shown = () => !stopped && this.#showSelfView();
    if (typeof video.requestVideoFrameCallback === 'function') {
      const handle = video.requestVideoFrameCallback(shown);
      this.#framesWatched = { video, stop: () => ((stopped = true), video.cancelVideoFrameCallback(handle)) };
    } else {
      video.addEventListener('loadeddata', shown, { once: true });
      this.#framesWatched = { video, stop: () => ((stopped = true), video.removeEventListener('loadeddata', shown)) };
    }
  }

  #stopSelfViewWait(): void {
    this.#selfViewAlone = false;
    clearTimeout(this.#selfViewTimer);
    this.#selfViewTimer = undefined;
    this.#selfViewDeadline = Infinity;
    this.#framesWatched?.stop();
    this.#framesWatched = undefined;
  }

  #handleFullscreenChange = (): void => this.host.requestUpdate();

  /**
   * Slotted videos are the host's elements: give each the right stream whenever slots or streams change. Notes the
   * videos that show the other side meanwhile.
   */
  #feedSlottedVideos(): void {
    const remoteViews = [
      ...(this.host.renderRoot?.querySelectorAll<HTMLVideoElement>('video.remote-video, video.aux-video') ?? []),
    ];
    for (const slot of ['local', 'remote', 'aux'] as const) {
      const stream = this.#stream(slot) ?? null;
      const videos = this.#slottedVideos(slot);
      for (const video of videos) if (video.srcObject !== stream) video.srcObject = stream;
      if (slot !== 'local') remoteViews.push(...videos);
    }
    this.#remoteViews = remoteViews;
  }

  /** The stream each slot shows: what this side sends, the other person, and what the other person shares. */
  #stream(slot: SlotName): MediaStream | undefined {
    const session = this.session.session;
    if (slot === 'local') return session?.localStream;
    return slot === 'remote' ? session?.remoteStream : session?.remoteShareStream;
  }

  /** The host's videos in a slot: each slotted `<video>`, or the first one inside a slotted element. */
  #slottedVideos(slot: SlotName): HTMLVideoElement[] {
    const element = this.host.renderRoot?.querySelector<HTMLSlotElement>(`slot[name="${slot}"]`);
    // Flattened, an empty slot lists its fallback content: the built-in view, whose stream the render decides.
    return (element?.assignedElements({ flatten: true }) ?? [])
      .filter((assigned) => assigned.getRootNode() !== this.host.renderRoot)
      .map((assigned) => (assigned instanceof HTMLVideoElement ? assigned : assigned.querySelector('video')))
      .filter((video): video is HTMLVideoElement => video !== null);
  }

  /** Routes the other person's sound to the picked speaker, where the browser can (setSinkId). */
  #applySpeaker(): void {
    const video = this.remoteVideo as SinkVideo | null;
    if (!video?.setSinkId || this.speaker === undefined || this.#appliedSpeaker === this.speaker) return;
    this.#appliedSpeaker = this.speaker;
    video.setSinkId(this.speaker).catch(() => (this.#appliedSpeaker = undefined));
  }
}
