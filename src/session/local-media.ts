/**
 * This side's camera and microphone for one call: where the stream comes from (the host's own stream, the lobby's
 * capture handed over, or a fresh getUserMedia), muting and turning the camera off, switching devices, and keeping
 * devices alive when they go away (device-recovery.ts). What changes is reported through the hooks: the session
 * puts new tracks on its links and tells the other side.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import type { CallEventMap } from './call-events.js';
import { DeviceRecovery } from './device-recovery.js';
import {
  acquireLocalMedia,
  acquireTrack,
  stopStream,
  type AcquiredMedia,
  type DeviceChoice,
  type MediaRequest,
} from './media.js';

export interface LocalMediaOptions {
  /** A stream the host made; used instead of capturing. The host keeps ownership. */
  localStream?: MediaStream;
  /** Camera and microphone already opened for this call (the lobby's); the session's own from then on. */
  capturedMedia?: AcquiredMedia | Promise<AcquiredMedia | undefined>;
  mediaDevices?: MediaDevices;
  media?: Partial<MediaRequest>;
  devices?: DeviceChoice;
  muted?: boolean;
  cameraOff?: boolean;
}

export interface LocalMediaHooks {
  emit<K extends 'local-stream' | 'local-media' | 'error'>(name: K, detail: CallEventMap[K]): void;
  /** A track took another's place in the stream (a device switch, or a device that came back): send it. */
  trackReplaced(track: MediaStreamTrack): void;
  /** What the other side should know changed (muted, camera off, the stream itself). */
  changed(): void;
}

/** What the other side is told about this side's camera stream (the `media` peer message). */
export interface MediaAnnouncement {
  muted: boolean;
  cameraOff: boolean;
  /** The camera stream's id, '' when this side sends nothing. */
  stream: string;
}

export class LocalMedia {
  #stream?: MediaStream;
  #owned = false;
  #devices?: DeviceRecovery;
  #muted: boolean;
  #cameraOff: boolean;
  /** Bumped by release() and by every switch, so an await that resumes after either knows it is stale. */
  #generation = 0;

  constructor(
    private readonly options: LocalMediaOptions,
    private readonly hooks: LocalMediaHooks,
  ) {
    this.#muted = options.muted ?? false;
    this.#cameraOff = options.cameraOff ?? false;
  }

  get stream(): MediaStream | undefined {
    return this.#stream;
  }

  /** True when no audio leaves this side (muted, or no microphone). */
  get muted(): boolean {
    return this.#muted || !this.#stream?.getAudioTracks().length;
  }

  /** True when no video leaves this side (camera off, or no camera). */
  get cameraOff(): boolean {
    return this.#cameraOff || !this.#stream?.getVideoTracks().length;
  }

  get announcement(): MediaAnnouncement {
    return {
      muted: this.muted,
      cameraOff: this.cameraOff,
      stream: this.#stream?.getTracks().length ? this.#stream.id : '',
    };
  }

  /** The stream to use: the host's, the lobby's capture if any track of it lives, or a fresh capture. Throws P2PCallError. */
  async acquire(): Promise<AcquiredMedia> {
    if (this.options.localStream) return { stream: this.options.localStream, warnings: [] };
    const captured = await Promise.resolve(this.options.capturedMedia).catch(() => undefined);
    if (captured?.stream.getTracks().some((track) => track.readyState === 'live')) return captured;
    const request = { audio: true, video: true, ...this.options.media };
    return acquireLocalMedia(this.#mediaDevices(), request, this.options.devices);
  }

  /** Makes `media` this call's stream: devices it opened are looked after; warnings are reported. */
  adopt({ stream, warnings }: AcquiredMedia): void {
    this.#stream = stream;
    this.#owned = stream !== this.options.localStream;
    if (this.#owned) {
      this.#devices = new DeviceRecovery(stream, this.#mediaDevices(), {
        replaced: (track) => {
          track.enabled = track.kind === 'audio' ? !this.#muted : !this.#cameraOff;
          this.hooks.trackReplaced(track);
          this.#announce();
        },
        lost: (_kind, error) => {
          this.hooks.emit('error', error.toDetail());
          this.#announce();
        },
      });
    }
    for (const warning of warnings) this.hooks.emit('error', warning.toDetail());
    this.set({});
    this.hooks.emit('local-stream', { stream });
  }

  /** Releases a stream acquired for a call that was left before it could use it. */
  discard(media: AcquiredMedia): void {
    if (media.stream !== this.options.localStream) stopStream(media.stream);
  }

  /** Mutes/unmutes and turns the camera off/on in one step, announcing the result once. */
  set({ muted = this.#muted, cameraOff = this.#cameraOff }: { muted?: boolean; cameraOff?: boolean }): void {
    this.#muted = muted;
    this.#cameraOff = cameraOff;
    // Disabling (not removing) a track needs no renegotiation: the peer receives silence and black frames.
    for (const track of this.#stream?.getAudioTracks() ?? []) track.enabled = !muted;
    for (const track of this.#stream?.getVideoTracks() ?? []) track.enabled = !cameraOff;
    this.#announce();
  }

  /**
   * Switches the camera or microphone: the new device's track takes the old one's place (on the same sender), keeps
   * the muted/camera-off state, and the old device is released. Failures are recoverable errors; the old device
   * keeps working. Only the latest of two quick switches lands.
   */
  async switchDevice(kind: 'camera' | 'microphone', deviceId: string): Promise<void> {
    const stream = this.#stream;
    if (!stream || !this.#owned) {
      const reason = stream ? 'the host supplied the local stream' : 'there is no call';
      this.hooks.emit(
        'error',
        new P2PCallError(ErrorCode.InvalidConfig, `Cannot switch the ${kind}: ${reason}.`, true).toDetail(),
      );
      return;
    }
    const generation = ++this.#generation;
    let track: MediaStreamTrack;
    try {
      track = await acquireTrack(this.#mediaDevices(), kind, deviceId);
    } catch (error) {
      if (generation === this.#generation) this.hooks.emit('error', asCallError(error).toDetail());
      return;
    }
    if (generation !== this.#generation) {
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
    this.hooks.trackReplaced(track);
    this.#announce();
  }

  /** Stops what this call opened (a host's stream is the host's) and forgets the stream. */
  release(): void {
    this.#generation++;
    this.#devices?.stop();
    this.#devices = undefined;
    if (this.#owned) stopStream(this.#stream);
    this.#stream = undefined;
  }

  #announce(): void {
    this.hooks.emit('local-media', { muted: this.muted, cameraOff: this.cameraOff });
    this.hooks.changed();
  }

  #mediaDevices(): MediaDevices | undefined {
    return this.options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  }
}

export function asCallError(error: unknown, code: P2PCallError['code'] = ErrorCode.MediaFailed): P2PCallError {
  return error instanceof P2PCallError ? error : new P2PCallError(code, String(error), false, { cause: error });
}
