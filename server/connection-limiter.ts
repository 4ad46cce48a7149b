/**
 * Concurrent connections per client address, so one host cannot hold every socket the process can afford.
 * A slot is taken when an upgrade starts (before the token check) and given back when the TCP socket closes,
 * whichever way that happens.
 */
export class ConnectionLimiter {
  readonly #counts = new Map<string, number>();

  constructor(private readonly maxPerAddress: number) {}

  /** Takes a slot for `address`; returns its release function, or undefined when the address is at its limit. */
  acquire(address: string): (() => void) | undefined {
    const count = this.#counts.get(address) ?? 0;
    if (count >= this.maxPerAddress) return undefined;
    this.#counts.set(address, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#counts.get(address) ?? 1) - 1;
      if (left <= 0) this.#counts.delete(address);
      else this.#counts.set(address, left);
    };
  }

  /** Distinct addresses holding a slot (for tests: the map must not grow without bound). */
  get addressCount(): number {
    return this.#counts.size;
  }
}
