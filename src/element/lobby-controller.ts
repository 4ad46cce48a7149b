/**
 * The pre-join lobby's live parts: a camera/microphone preview, the microphone level, and the device lists (also
 * used by the in-call settings). On Join the element takes the preview's camera and microphone over (handOver());
 * everything else it captured is released by stop(), when the element leaves the page or joins without the preview;
 * captures that resolve after that are stopped at once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ErrorCode, P2PCallError } from '../errors.js';
import { listDevices, type DeviceLists } from '../session/devices.js';
import { LevelMeter } from '../session/level-meter.js';
import { acquireLocalMedia, stopStream, type AcquiredMedia, type DeviceChoice } from '../session/media.js';
import { canCall } from './browser-support.js';

export interface DevicePick extends DeviceChoice {
  speaker?: string;
}

const mediaDevices = () => globalThis.navigator?.mediaDevices;

export class LobbyController implements ReactiveController {
  stream?: MediaStream;
  /** What the preview's capture could not get (no camera, say), handed to the call along with the stream. */
  #warnings: P2PCallError[] = [];
  /** The preview's capture while it is still opening, and the one given to the call by handOver(), if any. */
  #capturing?: Promise<AcquiredMedia>;
  #handedOver?: Promise<AcquiredMedia>;
  /** Why there is no preview at all (permission-denied, no-device, device-busy, ...). */
  problem?: ErrorCode;
  /** A device that is missing while the other works (e.g. no camera): shown as a note. */
  warning?: ErrorCode;
  devices: DeviceLists = { camera: [], microphone: [], speaker: [] };
  readonly pick: DevicePick = {};
  #open = false;
  #generation = 0;
  #meter?: LevelMeter;
  #frame = 0;
  #openTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly view: {
      /** True while the element shows the lobby. */
      showing: () => boolean;
      /** The <meter> to drive; looked up each frame because Lit may replace it. */
      meter: () => HTMLMeterElement | null | undefined;
      /** The preview is up (or its problem known): a Join is likely now. */
      opened: () => void;
    },
  ) {
    host.addController(this);
  }

  get open(): boolean {
    return this.#open;
  }

  /** True while the element shows the lobby (its preview may still be opening). */
  get showing(): boolean {
    return this.view.showing();
  }

  /** Opens (or re-opens, after a device pick or "Try again") the preview. */
  async start(): Promise<void> {
    this.#release();
    this.#open = true;
    const generation = ++this.#generation;
    this.problem = this.warning = undefined;
    if (!canCall()) {
      // No preview of a camera that could never reach anyone: the lobby says that this browser cannot call.
      this.problem = ErrorCode.Unsupported;
      this.host.requestUpdate();
      return;
    }
    const capture = acquireLocalMedia(mediaDevices(), { audio: true, video: true }, this.pick);
    this.#capturing = capture;
    try {
      const media = await capture;
      if (generation !== this.#generation) {
        if (this.#handedOver !== capture) stopStream(media.stream); // else the call has it (handOver)
        return;
      }
      this.stream = media.stream;
      this.#warnings = media.warnings;
      const code = media.warnings[0]?.code;
      if (media.stream.getTracks().length) this.warning = code;
      else this.problem = code;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.problem = error instanceof P2PCallError ? error.code : ErrorCode.MediaFailed;
    } finally {
      if (this.#capturing === capture) this.#capturing = undefined;
    }
    await this.refreshDevices();
    const audio = this.stream?.getAudioTracks()[0];
    if (audio && generation === this.#generation) this.#startMeter(audio);
    this.host.requestUpdate();
  }

  /**
   * Closes the lobby and gives its camera and microphone to the caller, still running: joining then needs no second
   * capture (no second wait for the devices, no camera light going off and on). A preview still opening is handed
   * over when it opens, rather than asked for twice at once. Resolves to undefined when there is nothing live to
   * give (no preview, it failed, or its devices were unplugged): the caller captures as usual.
   */
  handOver(): Promise<AcquiredMedia | undefined> {
    let media: Promise<AcquiredMedia | undefined> = Promise.resolve(undefined);
    const stream = this.stream;
    if (this.#open && this.#capturing) {
      this.#handedOver = this.#capturing;
      media = this.#capturing.catch(() => undefined);
    } else if (this.#open && stream?.getTracks().some((track) => track.readyState === 'live')) {
      media = Promise.resolve({ stream, warnings: this.#warnings });
      this.stream = undefined; // no longer the lobby's to stop
    }
    this.stop();
    return media;
  }

  stop(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#generation++;
    this.#release();
    this.host.requestUpdate();
  }

  /** Re-reads the device lists (labels appear once access was granted). */
  refreshDevices = async (): Promise<void> => {
    this.devices = await listDevices(mediaDevices());
    this.host.requestUpdate();
  };

  /** Mirrors the lobby's mute/camera toggles onto the preview tracks. */
  setEnabled(muted: boolean, cameraOff: boolean): void {
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !muted;
    for (const track of this.stream?.getVideoTracks() ?? []) track.enabled = !cameraOff;
  }

  hostConnected(): void {
    mediaDevices()?.addEventListener?.('devicechange', this.refreshDevices);
    // A moved element (disconnected, then connected again) closed its preview: render, which re-opens it.
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    mediaDevices()?.removeEventListener?.('devicechange', this.refreshDevices);
    this.stop();
  }

  /**
   * The lobby opens whenever it is showing and closes when it is not (join, no-lobby set later, auto-join). Opening
   * waits one task: a host that calls join() right after inserting the element never sees the camera captured twice
   * (preview, then call).
   */
  hostUpdated(): void {
    if (this.view.showing() && !this.#open) {
      clearTimeout(this.#openTimer);
      this.#openTimer = setTimeout(() => {
        if (this.view.showing() && !this.#open) void this.start().then(this.view.opened);
      });
    } else if (!this.view.showing() && this.#open) {
      this.stop();
    }
  }

  #startMeter(track: MediaStreamTrack): void {
    // The meter is a nicety: a browser without Web Audio (or one refusing an AudioContext) shows the lobby without it.
    try {
      this.#meter = new LevelMeter(track);
    } catch {
      return;
    }
    const tick = () => {
      const meter = this.view.meter();
      // Written straight to the element: a Lit render per animation frame would be wasted work.
      if (meter && this.#meter) meter.value = track.enabled ? this.#meter.level() : 0;
      this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  #release(): void {
    cancelAnimationFrame(this.#frame);
    this.#meter?.close();
    this.#meter = undefined;
    stopStream(this.stream);
    this.stream = undefined;
    this.#warnings = [];
  }
}
