/**
 * The clock of one media-path recovery: when it started, how many attempts it made, the next attempt, and the
 * deadline after which the session gives up. One object so that every timer it holds is cleared in one place.
 */
export const DEFAULT_RECOVERY_TIMEOUT_MS = 30_000;
/** A fresh connection that has not connected after this long is replaced by another. */
export const ATTEMPT_TIMEOUT_MS = 6_000;

export class RecoveryClock {
  readonly startedAt = performance.now();
  attempts = 0;
  #retry?: ReturnType<typeof setTimeout>;
  readonly #deadline: ReturnType<typeof setTimeout>;

  constructor(timeoutMs: number, onDeadline: () => void) {
    this.#deadline = setTimeout(() => {
      clearTimeout(this.#retry); // no attempt after giving up
      onDeadline();
    }, timeoutMs);
  }

  /** Counts an attempt and schedules the next one, in case this one does not connect. */
  attempt(next: () => void): void {
    this.attempts++;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(next, ATTEMPT_TIMEOUT_MS);
  }

  /** Milliseconds since the start; clears every timer. */
  finish(): number {
    this.cancel();
    return Math.round(performance.now() - this.startedAt);
  }

  cancel(): void {
    clearTimeout(this.#retry);
    clearTimeout(this.#deadline);
  }
}
