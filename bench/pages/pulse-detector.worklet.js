// Onset detector for the audio latency measurement, on the receiving side's audio path (an AudioWorklet fed by the
// remote stream). It reports the context frame of each pulse's first sample above a threshold, after at least
// `quietMs` below it, and the pulse's zero crossings in the following 10 ms (which say which of the pulse train's
// frequencies it was: 500 Hz crosses 10 times in 10 ms, 4 kHz 80 times).
class PulseDetector extends AudioWorkletProcessor {
  constructor({ processorOptions = {} }) {
    super();
    this.threshold = processorOptions.threshold ?? 0.1;
    // Crossings are counted with hysteresis, so codec noise around zero does not count.
    this.hysteresis = processorOptions.hysteresis ?? 0.02;
    this.quietFrames = Math.round(((processorOptions.quietMs ?? 100) / 1000) * sampleRate);
    this.windowFrames = Math.round(0.01 * sampleRate);
    this.quiet = this.quietFrames; // the stream starts in silence
    this.counting = 0;
  }

  process(inputs, outputs) {
    const samples = inputs[0]?.[0];
    if (samples) {
      for (let i = 0; i < samples.length; i++) {
        const x = samples[i];
        if (this.counting) {
          const sign = x > this.hysteresis ? 1 : x < -this.hysteresis ? -1 : 0;
          if (sign && sign !== this.sign) {
            if (this.sign) this.crossings++;
            this.sign = sign;
          }
          if (--this.counting === 0) this.port.postMessage({ frame: this.onset, crossings: this.crossings });
        }
        if (Math.abs(x) > this.threshold) {
          if (this.quiet >= this.quietFrames && !this.counting) {
            this.onset = currentFrame + i;
            this.counting = this.windowFrames;
            this.crossings = 0;
            this.sign = 0;
          }
          this.quiet = 0;
        } else this.quiet++;
      }
    }
    outputs[0]?.[0]?.fill(0);
    return true;
  }
}

registerProcessor('pulse-detector', PulseDetector);
