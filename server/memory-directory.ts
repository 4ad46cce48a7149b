/**
 * The single-process directory: the in-memory `RoomRegistry`, behind the same interface the Redis directory has,
 * so a connection does not care which one it talks to.
 */
import { LocalEndpoints } from './local-endpoints.js';
import { RoomRegistry, type Member } from './room-registry.js';
import type { DirectoryJoin, LocalEndpoint, Occupant, RoomDirectory } from './room-directory.js';

export class MemoryDirectory implements RoomDirectory {
  readonly node = 'local';
  readonly #rooms = new RoomRegistry<number>();
  readonly #local = new LocalEndpoints();

  get localRoomCount(): number {
    return this.#rooms.roomCount;
  }

  hasLocalRoom(room: string): boolean {
    return this.#rooms.has(room);
  }

  attach(conn: number, endpoint: LocalEndpoint): () => void {
    return this.#local.attach(conn, endpoint);
  }

  async join(room: string, occupant: Occupant): Promise<DirectoryJoin> {
    const result = this.#rooms.join(room, { ...occupant, connection: occupant.conn });
    if (!result.ok) return result;
    return {
      ok: true,
      others: result.others.map((member) => this.#occupant(member)),
      replaced: result.replaced && this.#occupant(result.replaced),
      vanished: [],
    };
  }

  async leave(room: string, id: string, conn: number): Promise<Occupant[]> {
    return (this.#rooms.leave(room, id, conn) ?? []).map((member) => this.#occupant(member));
  }

  async find(room: string, id: string): Promise<Occupant | undefined> {
    const member = this.#rooms.member(room, id);
    return member && this.#occupant(member);
  }

  deliver(to: Occupant, text: string): void {
    this.#local.deliver(to.conn, text);
  }

  replace(occupant: Occupant): void {
    this.#local.replace(occupant.conn);
  }

  async close(): Promise<void> {}

  #occupant({ id, name, bound, connection }: Member<number>): Occupant {
    return { id, name, bound, node: this.node, conn: connection };
  }
}
