/** Remembers the last N message ids so a message delivered twice (a resend after reconnect) is applied once. */
export class DuplicateFilter {
  readonly #seen = new Set<string>();

  constructor(private readonly capacity = 1024) {}

  /** True the first time an id is seen. */
  accept(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > this.capacity) {
      const oldest = this.#seen.values().next().value as string;
      this.#seen.delete(oldest);
    }
    return true;
  }

  clear(): void {
    this.#seen.clear();
  }
}
