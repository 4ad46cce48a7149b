/**
 * Room membership, in memory only: which participants sit in which room. Nothing else about a call is stored.
 * A room holds at most two; a participant that rejoins with its id takes its own seat back.
 */
export interface Member<Connection> {
  id: string;
  name: string;
  connection: Connection;
  /** The seat was taken with a join token whose subject is `id`; only that subject may take it over. */
  bound: boolean;
}

export type JoinResult<Connection> =
  | { ok: true; others: Member<Connection>[]; replaced?: Member<Connection> }
  | { ok: false; reason: 'room-full' | 'seat-taken' };

export const ROOM_CAPACITY = 2;

export class RoomRegistry<Connection> {
  readonly #rooms = new Map<string, Map<string, Member<Connection>>>();

  join(room: string, member: Member<Connection>): JoinResult<Connection> {
    const members = this.#rooms.get(room) ?? new Map<string, Member<Connection>>();
    const replaced = members.get(member.id);
    if (!replaced && members.size >= ROOM_CAPACITY) return { ok: false, reason: 'room-full' };
    // In open mode a peer id is only a name anyone can claim; it must not evict someone who proved who they are.
    if (replaced?.bound && !member.bound) return { ok: false, reason: 'seat-taken' };
    members.set(member.id, member);
    this.#rooms.set(room, members);
    const others = [...members.values()].filter((other) => other.id !== member.id);
    return { ok: true, others, replaced };
  }

  /** Removes a member if (and only if) it is still this connection's seat; returns the members left behind. */
  leave(room: string, id: string, connection: Connection): Member<Connection>[] | undefined {
    const members = this.#rooms.get(room);
    if (members?.get(id)?.connection !== connection) return undefined;
    members.delete(id);
    if (members.size === 0) this.#rooms.delete(room);
    return [...members.values()];
  }

  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  member(room: string, id: string): Member<Connection> | undefined {
    return this.#rooms.get(room)?.get(id);
  }

  get roomCount(): number {
    return this.#rooms.size;
  }
}
