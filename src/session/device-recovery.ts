/**
 * Keeps the camera and microphone of a running call alive. When a device goes away mid-call (unplugged, taken by
 * another application, permission withdrawn) its track ends: the browser's default device of that kind is opened in
 * its place and put on the same sender (no renegotiation). When there is none, the call goes on without that kind,
 * and the device is tried again when the browser reports a device change (plugged back in).
 */
import { P2PCallError } from '../errors.js';
import { mediaError } from './media.js';

type Kind = 'audio' | 'video';

export interface DeviceRecoveryHandlers {
  /** `track` replaced an ended one of the same kind in the stream. */
  replaced(track: MediaStreamTrack): void;
  /** A kind is gone and could not be replaced; the call continues without it. */
  lost(kind: Kind, error: P2PCallError): void;
}

export class DeviceRecovery {
  readonly #missing = new Set<Kind>();
  /** Kinds being reopened right now: a burst of device changes must not open two cameras. */
  readonly #opening = new Set<Kind>();
  #stopped = false;

  constructor(
    private readonly stream: MediaStream,
    private readonly devices: MediaDevices | undefined,
    private readonly handlers: DeviceRecoveryHandlers,
  ) {
    for (const track of stream.getTracks()) this.watch(track);
    devices?.addEventListener?.('devicechange', this.#retryMissing);
  }

  stop(): void {
    this.#stopped = true;
    this.devices?.removeEventListener?.('devicechange', this.#retryMissing);
    for (const track of this.stream.getTracks()) track.removeEventListener('ended', this.#handleEnded);
  }

  /** Looks after a track that joined the stream later (a device the person picked). */
  watch(track: MediaStreamTrack): void {
    this.#missing.delete(track.kind as Kind);
    track.addEventListener('ended', this.#handleEnded);
  }

  #handleEnded = (event: Event): void => {
    const track = event.target as MediaStreamTrack;
    track.removeEventListener('ended', this.#handleEnded);
    if (this.#stopped) return;
    this.stream.removeTrack(track);
    void this.#replace(track.kind as Kind);
  };

  #retryMissing = (): void => {
    for (const kind of this.#missing) void this.#replace(kind);
  };

  async #replace(kind: Kind): Promise<void> {
    if (this.#opening.has(kind)) return;
    this.#opening.add(kind);
    try {
      await this.#open(kind);
    } finally {
      this.#opening.delete(kind);
    }
  }

  async #open(kind: Kind): Promise<void> {
    let track: MediaStreamTrack | undefined;
    try {
      const fresh = await this.devices!.getUserMedia({ [kind]: true });
      track = fresh.getTracks().find((candidate) => candidate.kind === kind);
      for (const other of fresh.getTracks()) if (other !== track) other.stop();
      if (!track) throw new DOMException('No device of that kind', 'NotFoundError');
    } catch (error) {
      if (this.#stopped || this.#missing.has(kind)) return; // reported once; the next device change tries again
      this.#missing.add(kind);
      const cause = mediaError(error);
      const device = kind === 'video' ? 'camera' : 'microphone';
      this.handlers.lost(
        kind,
        new P2PCallError(
          cause.code,
          `The ${device} stopped working; the call continues without it. ${cause.message}`,
          true,
          { cause },
        ),
      );
      return;
    }
    if (this.#stopped) {
      track.stop();
      return;
    }
    this.#missing.delete(kind);
    this.stream.addTrack(track);
    this.watch(track);
    this.handlers.replaced(track);
  }
}
