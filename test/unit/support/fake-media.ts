/**
 * Camera and microphone for unit tests: tracks that stop and end like real ones, a stream that holds them, and a
 * MediaDevices whose getUserMedia the test answers (at once, later, or with a DOMException-like failure).
 */
export class FakeTrack extends EventTarget {
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  readonly id = `track-${Math.random().toString(36).slice(2)}`;

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId = 'default',
  ) {
    super();
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }

  stop(): void {
    this.readyState = 'ended';
  }

  /** The device went away (unplugged): the browser ends the track and says so. */
  end(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

export class FakeStream {
  readonly id = `stream-${Math.random().toString(36).slice(2)}`;
  readonly #tracks: FakeTrack[];

  constructor(tracks: FakeTrack[] = []) {
    this.#tracks = [...tracks];
  }

  getTracks(): FakeTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.#tracks.filter((track) => track.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.#tracks.filter((track) => track.kind === 'video');
  }
  addTrack(track: FakeTrack): void {
    this.#tracks.push(track);
  }
  removeTrack(track: FakeTrack): void {
    this.#tracks.splice(this.#tracks.indexOf(track), 1);
  }
}

export class FakeDevices extends EventTarget {
  /** Every getUserMedia request, with its constraints and the answer the test gives. */
  readonly requests: Array<{ constraints: MediaStreamConstraints; answer(stream: FakeStream | Error): void }> = [];
  /** Answer requests at once with these tracks; when undefined, the test answers each by hand. */
  autoAnswer = true;

  getUserMedia(constraints: MediaStreamConstraints): Promise<FakeStream> {
    return new Promise((resolve, reject) => {
      const answer = (result: FakeStream | Error) => (result instanceof Error ? reject(result) : resolve(result));
      this.requests.push({ constraints, answer });
      if (!this.autoAnswer) return;
      const tracks: FakeTrack[] = [];
      if (constraints.audio) tracks.push(new FakeTrack('audio', deviceOf(constraints.audio)));
      if (constraints.video) tracks.push(new FakeTrack('video', deviceOf(constraints.video)));
      answer(new FakeStream(tracks));
    });
  }
}

function deviceOf(constraint: boolean | MediaTrackConstraints): string {
  const id =
    typeof constraint === 'object' ? (constraint.deviceId as { exact?: string } | undefined)?.exact : undefined;
  return id ?? 'default';
}

export const asStream = (stream: FakeStream) => stream as unknown as MediaStream;
export const asDevices = (devices: FakeDevices) => devices as unknown as MediaDevices;
