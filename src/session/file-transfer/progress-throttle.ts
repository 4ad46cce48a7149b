/** Lets a progress event through at most every 1% or 150 ms, and always at the end: a 200 MB file is 3,200 chunks. */
export class ProgressThrottle {
  #lastBytes = -1;
  #lastTime = -Infinity;

  constructor(private readonly size: number) {}

  shouldReport(bytes: number): boolean {
    const now = performance.now();
    const step = Math.max(1, this.size / 100);
    if (bytes < this.size && bytes - this.#lastBytes < step && now - this.#lastTime < 150) return false;
    if (bytes === this.#lastBytes) return false;
    this.#lastBytes = bytes;
    this.#lastTime = now;
    return true;
  }
}
