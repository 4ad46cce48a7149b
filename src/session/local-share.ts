/**
 * What this side shares next to its camera: the screen (picked in the browser's own dialog), or any video stream the
 * host makes (a canvas of an editor, a document view). One share at a time; the browser's own "Stop sharing" ends it
 * like stopSharing(). The links carry it (see LinkSupervisor.publishShare); this only holds it.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import type { CallEventMap } from './call-events.js';
import { stopStream } from './media.js';

interface Share {
  stream: MediaStream;
  track: MediaStreamTrack;
  /** Streams the session captured itself (shareScreen) are stopped with the share; host streams are not. */
  owned: boolean;
  handleEnded: () => void;
}

export interface LocalShareHooks {
  emit<K extends 'share-start' | 'share-end' | 'error'>(name: K, detail: CallEventMap[K]): void;
  /** The shared track changed (started, replaced or stopped): the links put it on (or take it off) their senders. */
  changed(): void;
}

export class LocalShare {
  #share?: Share;

  constructor(
    private readonly mediaDevices: () => MediaDevices | undefined,
    private readonly hooks: LocalShareHooks,
  ) {}

  get stream(): MediaStream | undefined {
    return this.#share?.stream;
  }

  get track(): MediaStreamTrack | undefined {
    return this.#share?.track;
  }

  /** Asks the person what to share; `canShare` is asked again once they picked (they may have left meanwhile). */
  async shareScreen(canShare: () => P2PCallError | undefined): Promise<void> {
    const devices = this.mediaDevices();
    if (!devices?.getDisplayMedia) {
      this.#error(new P2PCallError(ErrorCode.Unsupported, 'This browser cannot share the screen.', true));
      return;
    }
    let stream: MediaStream;
    try {
      stream = await devices.getDisplayMedia({ video: true, audio: false });
    } catch (error) {
      const denied = error instanceof Error && error.name === 'NotAllowedError';
      this.#error(
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
    this.share(stream, { owned: true }, canShare());
  }

  /** Shares `stream` (replacing a running share), unless `refusal` says why it cannot be shared now. */
  share(stream: MediaStream, { owned = false } = {}, refusal?: P2PCallError): void {
    const [track] = stream.getVideoTracks();
    if (!track) {
      if (owned) stopStream(stream);
      this.#error(new P2PCallError(ErrorCode.InvalidConfig, 'shareStream() needs a stream with a video track.', true));
      return;
    }
    if (refusal) {
      if (owned) stopStream(stream);
      this.#error(refusal);
      return;
    }
    if (this.#share) this.stop();
    const handleEnded = () => {
      if (this.#share?.track === track) this.stop();
    };
    track.addEventListener('ended', handleEnded);
    this.#share = { stream, track, owned, handleEnded };
    this.hooks.emit('share-start', { side: 'local', stream });
    this.hooks.changed();
  }

  /** Stops sharing (nothing happens when nothing is shared); the camera keeps flowing. */
  stop(): void {
    const share = this.#share;
    if (!share) return;
    this.#share = undefined;
    share.track.removeEventListener('ended', share.handleEnded);
    if (share.owned) stopStream(share.stream);
    this.hooks.changed();
    this.hooks.emit('share-end', { side: 'local', stream: share.stream });
  }

  #error(error: P2PCallError): void {
    this.hooks.emit('error', error.toDetail());
  }
}
