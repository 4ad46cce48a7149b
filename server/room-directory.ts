/**
 * Where room membership lives, seen from one server process. In memory for a single process; in Redis when several
 * processes behind a load balancer share rooms. Either way a member is addressed by the process (`node`) and the
 * socket on it (`conn`), so a signal for someone on another process can be routed there.
 */

/** A member of a room, wherever it is connected. */
export interface Occupant {
  id: string;
  name: string;
  /** The process holding the socket. */
  node: string;
  /** The socket's number within that process. */
  conn: number;
  /** The seat was taken with a join token whose subject is `id`; only that subject may take it over. */
  bound: boolean;
}

export type DirectoryJoin =
  | {
      ok: true;
      others: Occupant[];
      /** The same participant's previous seat, on this or another process: that socket must be closed. */
      replaced?: Occupant;
      /** Members found on processes that died; they are gone, and the others should hear so. */
      vanished: string[];
    }
  | { ok: false; reason: 'room-full' | 'seat-taken' };

/** A socket of this process that the directory can deliver to. */
export interface LocalEndpoint {
  /** Writes an already-serialised server frame. */
  deliver(text: string): void;
  /** The participant joined again elsewhere: close this socket with the "replaced" code. */
  replace(): void;
}

/** Raised when the shared store cannot be reached; the frame is refused, the process keeps running. */
export class DirectoryUnavailableError extends Error {
  override name = 'DirectoryUnavailableError';
}

export interface RoomDirectory {
  /** This process's id in `Occupant.node`. */
  readonly node: string;
  /** Rooms with a member connected to this process. */
  readonly localRoomCount: number;
  /** Whether `room` has a member connected to this process (a join there opens no new local room). */
  hasLocalRoom(room: string): boolean;
  /** Makes a local socket reachable by its `conn` number (and unreachable again with the returned function). */
  attach(conn: number, endpoint: LocalEndpoint): () => void;
  /** Takes a seat (atomically: two processes cannot both fill the second seat). */
  join(room: string, occupant: Occupant): Promise<DirectoryJoin>;
  /** Frees the seat if it still belongs to this socket; returns the members left behind. */
  leave(room: string, id: string, conn: number): Promise<Occupant[]>;
  /** The member with this id, wherever it is connected. */
  find(room: string, id: string): Promise<Occupant | undefined>;
  /** Sends a serialised frame to a member: directly if it is local, through the backplane otherwise. */
  deliver(to: Occupant, text: string): void;
  /** Closes a member's socket as replaced, wherever it is. */
  replace(occupant: Occupant): void;
  /** Releases the store after the sockets are gone. */
  close(): Promise<void>;
}
