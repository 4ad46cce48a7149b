/**
 * A token bucket per socket, plus a second bucket for the frames it had to drop: a short burst over the limit costs
 * a few dropped frames, while a socket that keeps flooding runs out of patience and is closed.
 */
import type { RateLimitOptions } from './config.js';

export const RateDecision = {
  /** Handle the frame. */
  Allow: 'allow',
  /** Drop it; the first drop after an allowed frame deserves one `rate-limited` error, later ones silence. */
  Drop: 'drop',
  /** Drop it and close the socket: the flood is sustained. */
  Close: 'close',
} as const;
export type RateDecision = (typeof RateDecision)[keyof typeof RateDecision];

class TokenBucket {
  #tokens: number;
  #updated: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {
    this.#tokens = capacity;
    this.#updated = now();
  }

  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#updated) / 1000) * this.perSecond);
    this.#updated = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export class RateLimiter {
  readonly #frames: TokenBucket;
  readonly #patience: TokenBucket;
  #dropping = false;

  constructor(options: RateLimitOptions, now: () => number = performance.now.bind(performance)) {
    this.#frames = new TokenBucket(options.burst, options.perSecond, now);
    // Patience refills at a tenth of the frame rate: only a socket that keeps flooding for a while empties it.
    this.#patience = new TokenBucket(options.maxDropped, Math.max(1, options.perSecond / 10), now);
  }

  /** Called once per inbound frame, before it is parsed. */
  check(): RateDecision {
    if (this.#frames.take()) {
      this.#dropping = false;
      return RateDecision.Allow;
    }
    if (!this.#patience.take()) return RateDecision.Close;
    return RateDecision.Drop;
  }

  /** True exactly once per run of dropped frames, so the client hears about it without being flooded back. */
  shouldNotify(): boolean {
    if (this.#dropping) return false;
    this.#dropping = true;
    return true;
  }
}
