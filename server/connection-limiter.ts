/**
 * Concurrent connections, per client address and for the whole process, so neither one host nor everyone together
 * can hold more sockets than the process can afford. A slot is taken when an upgrade starts (before the token check)
 * and given back when the TCP socket closes, whichever way that happens.
 */
export type Acquired = { ok: true; release: () => void } | { ok: false; limit: 'address' | 'process' };

export class ConnectionLimiter {
  readonly #counts = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly maxPerAddress: number,
    private readonly maxTotal: number = Infinity,
  ) {}

  /** Takes a slot for `address`, or says which limit is reached. */
  acquire(address: string): Acquired {
    if (this.#total >= this.maxTotal) return { ok: false, limit: 'process' };
    const count = this.#counts.get(address) ?? 0;
    if (count >= this.maxPerAddress) return { ok: false, limit: 'address' };
    this.#counts.set(address, count + 1);
    this.#total += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#counts.get(address) ?? 1) - 1;
      if (left <= 0) this.#counts.delete(address);
      else this.#counts.set(address, left);
    };
    return { ok: true, release };
  }

  /** Distinct addresses holding a slot (for tests: the map must not grow without bound). */
  get addressCount(): number {
    return this.#counts.size;
  }
}
