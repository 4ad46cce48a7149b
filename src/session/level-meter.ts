/**
 * The microphone level for a "can they hear me?" meter: an AnalyserNode on the audio track, read on demand (the
 * view decides how often). close() releases the AudioContext, which otherwise keeps an audio thread running.
 */
export class LevelMeter {
  readonly #context: AudioContext;
  readonly #analyser: AnalyserNode;
  readonly #samples: Float32Array<ArrayBuffer>;

  constructor(track: MediaStreamTrack) {
    this.#context = new AudioContext();
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 512;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(new MediaStream([track])).connect(this.#analyser);
  }

  /** 0 (silence) to 1 (loud speech), from the RMS of the latest samples. */
  level(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    // Speech RMS sits around 0.02-0.2: scale so normal speech fills most of the bar.
    return Math.min(1, Math.sqrt(sum / this.#samples.length) * 5);
  }

  get closed(): boolean {
    return this.#context.state === 'closed';
  }

  close(): void {
    if (!this.closed) void this.#context.close();
  }
}
