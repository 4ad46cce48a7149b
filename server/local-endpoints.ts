/**
 * The sockets of this process by number: the last hop of every delivery, whether the sender is on this process or
 * its frame came over the backplane. A number that is gone (the socket closed meanwhile) is silently dropped: the
 * client resends by message id after it reconnects.
 */
import type { LocalEndpoint } from './room-directory.js';

export class LocalEndpoints {
  readonly #endpoints = new Map<number, LocalEndpoint>();

  attach(conn: number, endpoint: LocalEndpoint): () => void {
    this.#endpoints.set(conn, endpoint);
    return () => {
      if (this.#endpoints.get(conn) === endpoint) this.#endpoints.delete(conn);
    };
  }

  deliver(conn: number, text: string): boolean {
    const endpoint = this.#endpoints.get(conn);
    endpoint?.deliver(text);
    return endpoint !== undefined;
  }

  replace(conn: number): void {
    this.#endpoints.get(conn)?.replace();
  }

  get size(): number {
    return this.#endpoints.size;
  }
}
