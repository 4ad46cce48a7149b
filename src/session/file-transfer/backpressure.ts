/**
 * Backpressure for one data channel: writers wait while more than HIGH_WATER bytes are queued and resume on
 * `bufferedamountlow`. The low threshold sits well below the high-water mark: the event fires only when the queue
 * falls from above the threshold, and Chromium closes a channel that queues ~16 MiB.
 */
export const LOW_WATER_BYTES = 256 * 1024;
export const HIGH_WATER_BYTES = 1024 * 1024;

export class Backpressure {
  #drained?: Promise<void>;

  constructor(private readonly channel: RTCDataChannel) {
    channel.bufferedAmountLowThreshold = LOW_WATER_BYTES;
  }

  /** Resolves once there is room to send; immediately when the queue is short. */
  async ready(): Promise<void> {
    while (this.channel.readyState === 'open' && this.channel.bufferedAmount > HIGH_WATER_BYTES) {
      this.#drained ??= new Promise<void>((resolve) => {
        const done = () => {
          this.channel.removeEventListener('bufferedamountlow', done);
          this.channel.removeEventListener('close', done);
          this.#drained = undefined;
          resolve();
        };
        this.channel.addEventListener('bufferedamountlow', done);
        this.channel.addEventListener('close', done);
      });
      await this.#drained;
    }
  }

  /** Resolves when the channel is open (at once if it is), or rejects when it closes first. */
  open(): Promise<void> {
    if (this.channel.readyState === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const opened = () => {
        cleanup();
        resolve();
      };
      const closed = () => {
        cleanup();
        reject(new Error('channel closed'));
      };
      const cleanup = () => {
        this.channel.removeEventListener('open', opened);
        this.channel.removeEventListener('close', closed);
      };
      this.channel.addEventListener('open', opened);
      this.channel.addEventListener('close', closed);
    });
  }
}
