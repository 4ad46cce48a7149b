/**
 * The shared directory for several server processes: seats in Redis hashes (changed by atomic Lua scripts), frames
 * for members on other processes over Redis pub/sub, one channel per process. Pub/sub is at-most-once: a frame for
 * a process that just died is lost, and the client's message ids and resend after its rejoin cover that.
 *
 * Each process holds a lease key it renews every third of `leaseMs`. A process that dies without cleaning up stops
 * renewing; once the key expires its seats no longer count and the next join in the room deletes them.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { PROTOCOL_VERSION } from 'p2p-call/protocol';
import { decodeSeat, encodeSeat, parseDelivery } from './backplane-records.js';
import type { RedisConfig } from './config.js';
import { LocalEndpoints } from './local-endpoints.js';
import { LocalRooms } from './local-rooms.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { ROOM_CAPACITY } from './room-registry.js';
import {
  DirectoryUnavailableError,
  type DirectoryJoin,
  type LocalEndpoint,
  type Occupant,
  type RoomDirectory,
} from './room-directory.js';
import { JOIN_SCRIPT, LEAVE_SCRIPT } from './redis-scripts.js';

/** The two scripts, as ioredis defines them (EVALSHA, with a fallback to EVAL after a Redis restart). */
interface ScriptedRedis extends Redis {
  p2pJoin(room: string, ...args: string[]): Promise<string[]>;
  p2pLeave(room: string, ...args: string[]): Promise<string[]>;
}

export interface RedisDirectoryOptions {
  config: RedisConfig;
  log: Logger;
  metrics: Metrics;
  /** This process lost its lease (Redis was unreachable for longer than it): its sockets must rejoin. */
  onLeaseLost: () => void;
}

/**
 * How long a looked-up member location is reused for the signals that follow it (a negotiation is a burst of about
 * ten). Every membership change in a room also reaches its members here and clears the room's entries at once; the
 * bound only matters when that notice itself was lost.
 */
const LOCATION_CACHE_MS = 1_000;
/** Serialised `peer-joined` / `peer-left` frames start like this (see ClientSocket). */
const MEMBERSHIP_FRAME = `{"v":${PROTOCOL_VERSION},"type":"peer-`;

/** A command that takes longer than this is failed (and the frame refused) rather than left hanging. */
const COMMAND_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 5_000;

export async function startRedisDirectory(options: RedisDirectoryOptions): Promise<RedisDirectory> {
  // Loaded only in Redis mode, so the single-process server never needs the client.
  const { Redis } = await import('ioredis');
  const commands = new Redis(options.config.url, {
    lazyConnect: true,
    commandTimeout: COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Many sockets relaying at once: commands issued in the same tick share one round trip.
    enableAutoPipelining: true,
  }) as ScriptedRedis;
  commands.defineCommand('p2pJoin', { numberOfKeys: 1, lua: JOIN_SCRIPT });
  commands.defineCommand('p2pLeave', { numberOfKeys: 1, lua: LEAVE_SCRIPT });
  const subscriber = commands.duplicate({ enableAutoPipelining: false });
  const directory = new RedisDirectory(commands, subscriber, options);
  try {
    await directory.start();
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    // ioredis messages may echo the URL, and with it a password: say only what failed.
    throw new DirectoryUnavailableError(
      `Cannot reach Redis at REDIS_URL (${(error as NodeJS.ErrnoException).code ?? 'no answer'}).`,
    );
  }
  return directory;
}

export class RedisDirectory implements RoomDirectory {
  readonly node = randomUUID();
  readonly #local = new LocalEndpoints();
  readonly #rooms = new LocalRooms();
  /** room -> participant id -> where it was found, and until when that may be reused. */
  readonly #locations = new Map<string, Map<string, { occupant: Occupant; until: number }>>();
  readonly #leaseKey: string;
  readonly #channel: string;
  #renewTimer?: NodeJS.Timeout;
  #up = false;

  constructor(
    private readonly commands: ScriptedRedis,
    private readonly subscriber: Redis,
    private readonly options: RedisDirectoryOptions,
  ) {
    this.#leaseKey = this.#nodeKey(this.node);
    this.#channel = `${options.config.prefix}deliver:${this.node}`;
  }

  get localRoomCount(): number {
    return this.#rooms.count;
  }

  hasLocalRoom(room: string): boolean {
    return this.#rooms.has(room);
  }

  /** Both connections ready and the lease held: the backplane works. */
  get up(): boolean {
    return this.#up && this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  async start(): Promise<void> {
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', () => {}); // surfaced through the status checks and the up/down log lines below
      client.on('close', () => this.#markDown());
    }
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (channel: string, message: string) => this.#handleDelivery(channel, message));
    await this.subscriber.subscribe(this.#channel);
    await this.commands.set(this.#leaseKey, '1', 'PX', this.options.config.leaseMs);
    this.#up = true;
    this.#renewTimer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(this.options.config.leaseMs / 3)));
    this.#renewTimer.unref();
  }

  attach(conn: number, endpoint: LocalEndpoint): () => void {
    const detach = this.#local.attach(conn, endpoint);
    return () => {
      detach();
      this.#rooms.remove(conn);
    };
  }

  async join(room: string, occupant: Occupant): Promise<DirectoryJoin> {
    const reply = await this.#run(() =>
      this.commands.p2pJoin(
        this.#roomKey(room),
        occupant.id,
        encodeSeat(occupant),
        occupant.bound ? '1' : '0',
        String(ROOM_CAPACITY),
        this.#nodeKey(''),
        String(this.#roomTtlMs),
      ),
    );
    if (reply[0] === 'full') return { ok: false, reason: 'room-full' };
    if (reply[0] === 'taken') return { ok: false, reason: 'seat-taken' };
    const [, replacedRaw = '', vanished = '', ...othersRaw] = reply;
    this.#rooms.add(room, occupant.conn);
    this.#locations.delete(room);
    return {
      ok: true,
      replaced: replacedRaw ? decodeSeat(occupant.id, replacedRaw) : undefined,
      vanished: vanished ? vanished.split('\n') : [],
      others: decodePairs(othersRaw),
    };
  }

  async leave(room: string, id: string, conn: number): Promise<Occupant[]> {
    this.#rooms.remove(conn);
    this.#locations.delete(room);
    const remaining = await this.#run(() => this.commands.p2pLeave(this.#roomKey(room), id, this.node, String(conn)));
    return decodePairs(remaining);
  }

  async find(room: string, id: string): Promise<Occupant | undefined> {
    const cached = this.#locations.get(room)?.get(id);
    if (cached && cached.until > Date.now()) return cached.occupant;
    const raw = await this.#run(() => this.commands.hget(this.#roomKey(room), id));
    const occupant = raw === null ? undefined : decodeSeat(id, raw);
    if (occupant) {
      const seats = this.#locations.get(room) ?? new Map();
      seats.set(id, { occupant, until: Date.now() + LOCATION_CACHE_MS });
      this.#locations.set(room, seats);
    }
    return occupant;
  }

  deliver(to: Occupant, text: string): void {
    if (to.node === this.node) this.#deliverLocal(to.conn, text);
    else this.#publish(to.node, JSON.stringify({ c: to.conn, t: text }));
  }

  replace(occupant: Occupant): void {
    if (occupant.node === this.node) {
      this.#rooms.remove(occupant.conn);
      this.#local.replace(occupant.conn);
    } else {
      this.#publish(occupant.node, JSON.stringify({ c: occupant.conn, replace: true }));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#renewTimer);
    this.#renewTimer = undefined;
    this.#up = false;
    // Our seats are gone already (each socket left as it closed); the lease goes now rather than at its expiry.
    await this.commands.del(this.#leaseKey).catch(() => {});
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
  }

  /** Seat records outlive their process by at most this, even if no one ever joins the room again. */
  get #roomTtlMs(): number {
    return this.options.config.leaseMs * 3;
  }

  #roomKey(room: string): string {
    return `${this.options.config.prefix}room:${room}`;
  }

  #nodeKey(node: string): string {
    return `${this.options.config.prefix}node:${node}`;
  }

  async #run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch {
      this.options.metrics.backplaneErrors += 1;
      throw new DirectoryUnavailableError('The room store (Redis) did not answer.');
    }
  }

  #publish(node: string, message: string): void {
    this.options.metrics.backplanePublished += 1;
    this.commands.publish(`${this.options.config.prefix}deliver:${node}`, message).catch(() => {
      this.options.metrics.backplaneErrors += 1;
    });
  }

  #handleDelivery(channel: string, message: string): void {
    if (channel !== this.#channel) return;
    const delivery = parseDelivery(message);
    if (!delivery) {
      this.options.metrics.backplaneDropped += 1;
      return;
    }
    this.options.metrics.backplaneReceived += 1;
    if ('replace' in delivery) {
      this.#rooms.remove(delivery.c);
      this.#local.replace(delivery.c);
    } else if (!this.#deliverLocal(delivery.c, delivery.t)) {
      this.options.metrics.backplaneDropped += 1;
    }
  }

  /** The last hop; a member joining or leaving the recipient's room makes the cached locations there stale. */
  #deliverLocal(conn: number, text: string): boolean {
    if (text.startsWith(MEMBERSHIP_FRAME)) {
      const room = this.#rooms.roomOf(conn);
      if (room !== undefined) this.#locations.delete(room);
    }
    return this.#local.deliver(conn, text);
  }

  async #renew(): Promise<void> {
    const { leaseMs } = this.options.config;
    try {
      // XX: renew only a lease we still hold. If it expired, other processes may already have deleted our seats.
      const renewed = await this.commands.set(this.#leaseKey, '1', 'PX', leaseMs, 'XX');
      if (renewed === null) {
        await this.commands.set(this.#leaseKey, '1', 'PX', leaseMs);
        this.options.metrics.leaseLost += 1;
        this.options.log('redis-lease-lost', { level: 'warn', sockets: this.#local.size });
        this.options.onLeaseLost();
      }
      const pipeline = this.commands.pipeline();
      for (const room of this.#rooms.rooms()) pipeline.pexpire(this.#roomKey(room), this.#roomTtlMs);
      await pipeline.exec();
      for (const room of this.#locations.keys()) if (!this.#rooms.has(room)) this.#locations.delete(room);
      if (!this.#up) this.options.log('redis-up', {});
      this.#up = true;
    } catch {
      this.options.metrics.backplaneErrors += 1;
      this.#markDown();
    }
  }

  #markDown(): void {
    if (!this.#up || this.#renewTimer === undefined) return;
    this.#up = false;
    this.options.log('redis-down', { level: 'error' });
  }
}

/** A flat [id, seat, id, seat, ...] script reply; unreadable records are skipped. */
function decodePairs(reply: string[]): Occupant[] {
  const occupants: Occupant[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const occupant = decodeSeat(reply[i]!, reply[i + 1]!);
    if (occupant) occupants.push(occupant);
  }
  return occupants;
}
