/**
 * Lets a transfer's progress through at most once per PROGRESS_INTERVAL_MS, and always its start and its end. Each
 * event is a DOM event and a re-render of the element's transfer list (style, layout and paint of the panel): at
 * every 1 % of a fast 64 MiB file that was a fifth of the page's main-thread time during the transfer, for a bar that
 * looks no smoother than at four updates a second.
 */
export const PROGRESS_INTERVAL_MS = 250;

export class ProgressThrottle {
  #lastBytes = -1;
  #lastTime = -Infinity;

  constructor(private readonly size: number) {}

  shouldReport(bytes: number): boolean {
    if (bytes === this.#lastBytes) return false;
    const now = performance.now();
    const edge = this.#lastBytes < 0 || bytes >= this.size;
    if (!edge && now - this.#lastTime < PROGRESS_INTERVAL_MS) return false;
    this.#lastBytes = bytes;
    this.#lastTime = now;
    return true;
  }
}
