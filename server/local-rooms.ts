/**
 * Which rooms have a member on this process, by socket number: the rooms whose Redis records this process keeps
 * alive (and the `rooms` gauge of its /metrics).
 */
export class LocalRooms {
  readonly #roomOf = new Map<number, string>();
  readonly #members = new Map<string, number>();

  add(room: string, conn: number): void {
    this.remove(conn);
    this.#roomOf.set(conn, room);
    this.#members.set(room, (this.#members.get(room) ?? 0) + 1);
  }

  remove(conn: number): void {
    const room = this.#roomOf.get(conn);
    if (room === undefined) return;
    this.#roomOf.delete(conn);
    const left = (this.#members.get(room) ?? 1) - 1;
    if (left > 0) this.#members.set(room, left);
    else this.#members.delete(room);
  }

  has(room: string): boolean {
    return this.#members.has(room);
  }

  roomOf(conn: number): string | undefined {
    return this.#roomOf.get(conn);
  }

  rooms(): IterableIterator<string> {
    return this.#members.keys();
  }

  get count(): number {
    return this.#members.size;
  }
}
