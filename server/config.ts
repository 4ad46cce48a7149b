/**
 * Server configuration: the options a program passes, the environment an operator sets, and the checks that make a
 * misconfigured server refuse to start rather than run unprotected.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from './logger.js';
import type { StaticMounts } from './static-files.js';

export interface SignalingServerOptions {
  /** TCP port; 0 picks a free one. Default 8787. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1: put a TLS proxy in front rather than exposing the server directly. */
  host?: string;
  /** URL prefix -> directory to serve over HTTP (the demo, dist/). Nothing is served when omitted. */
  staticMounts?: StaticMounts;
  /**
   * HMAC secret (at least 32 bytes) that signs join tokens (see `mintJoinToken`). Required unless `open` is set.
   * With a secret, every WebSocket upgrade must carry a valid token.
   */
  secret?: string | Uint8Array;
  /**
   * Open mode: no join token needed and any origin may connect, unless `allowedOrigins` narrows it. For local demos
   * and tests only; the server logs a warning. With a `secret` as well, tokens are optional but verified if present.
   */
  open?: boolean;
  /** Origins (e.g. `https://ats.example.com`) whose pages may open a socket. Default: any origin. */
  allowedOrigins?: readonly string[];
  /** Largest accepted WebSocket frame, in bytes. Default 64 KiB. */
  maxPayload?: number;
  /** Per-socket frame rate limit. */
  rateLimit?: Partial<RateLimitOptions>;
  /** Concurrent WebSocket connections from one IP address. Default 50. */
  maxConnectionsPerIp?: number;
  /**
   * Take the client address from the last `X-Forwarded-For` hop (set by your reverse proxy) for the per-IP limit.
   * Only enable behind a proxy that overwrites or appends that header. Default false.
   */
  trustProxy?: boolean;
  /** Ping interval; a socket that has not answered the previous ping is terminated and its seat freed. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** How long `close()` waits for sockets to close after sending 1001 before cutting them. Default 5 s. */
  shutdownTimeoutMs?: number;
  /** Tokens valid for longer than this (from now) are refused, so a leaked token cannot be used for long. Default 1 h. */
  maxTokenTtlSeconds?: number;
  /** Serve Prometheus metrics at /metrics. Default true; restrict the path at your proxy if it faces the internet. */
  metrics?: boolean;
  /**
   * `redis://` URL of a Redis (standalone or behind Sentinel, not Cluster) shared by several server processes: room
   * membership lives there and signals between processes go over pub/sub. Without it rooms stay in this process.
   */
  redisUrl?: string;
  /** Key and channel prefix in Redis, so several deployments can share one instance. Default `p2p-call:`. */
  redisPrefix?: string;
  /**
   * How long a process's seats outlive it in Redis when it dies without cleaning up; it renews its lease every
   * third of this. Default 15 s.
   */
  redisLeaseMs?: number;
  /**
   * On shutdown, how long to let sockets that are still negotiating finish before they are told to reconnect
   * (1001); idle sockets are told at once. Default 2 s.
   */
  drainTimeoutMs?: number;
  /** coturn `static-auth-secret`: with `turnUrls`, each joined participant gets short-lived TURN credentials. */
  turnSecret?: string;
  /** TURN URLs handed out with the credentials, e.g. `turn:turn.example.com:3478?transport=udp`. */
  turnUrls?: readonly string[];
  /** Lifetime of minted TURN credentials, in seconds. Default 3600. */
  turnTtlSeconds?: number;
  log?: Logger;
}

export interface RedisConfig {
  url: string;
  prefix: string;
  leaseMs: number;
}

export interface TurnConfig {
  secret: string;
  urls: readonly string[];
  ttlSeconds: number;
}

export interface RateLimitOptions {
  /** Sustained frames per second a socket may send. */
  perSecond: number;
  /** Frames a socket may send at once before the sustained rate applies. */
  burst: number;
  /** Dropped frames tolerated in quick succession before the socket is closed (1008). */
  maxDropped: number;
}

export interface ServerConfig {
  port: number;
  host: string;
  staticMounts?: StaticMounts;
  secret?: Uint8Array;
  open: boolean;
  allowedOrigins?: ReadonlySet<string>;
  maxPayload: number;
  rateLimit: RateLimitOptions;
  maxConnectionsPerIp: number;
  trustProxy: boolean;
  heartbeatIntervalMs: number;
  shutdownTimeoutMs: number;
  maxTokenTtlSeconds: number;
  metrics: boolean;
  redis?: RedisConfig;
  drainTimeoutMs: number;
  turn?: TurnConfig;
}

export const MIN_SECRET_BYTES = 32;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Applies defaults and refuses configurations that would run without protection. */
export function resolveConfig(options: SignalingServerOptions): ServerConfig {
  const secret = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (secret && secret.byteLength < MIN_SECRET_BYTES) {
    throw new ConfigError(`The join-token secret must be at least ${MIN_SECRET_BYTES} bytes (P2P_CALL_SECRET).`);
  }
  const open = options.open === true;
  if (!secret && !open) {
    throw new ConfigError(
      'Refusing to start without a join-token secret: set P2P_CALL_SECRET (>= 32 bytes), or run an open demo server ' +
        'with --open / P2P_CALL_OPEN=1 (anyone who can reach it may join any room).',
    );
  }
  return {
    port: positiveInteger('port', options.port ?? 8787, true),
    host: options.host ?? '127.0.0.1',
    staticMounts: options.staticMounts,
    secret,
    open,
    allowedOrigins: options.allowedOrigins?.length ? new Set(options.allowedOrigins.map(normalizeOrigin)) : undefined,
    maxPayload: positiveInteger('maxPayload', options.maxPayload ?? 64 * 1024),
    rateLimit: {
      perSecond: positiveInteger('rateLimit.perSecond', options.rateLimit?.perSecond ?? 50),
      burst: positiveInteger('rateLimit.burst', options.rateLimit?.burst ?? 100),
      maxDropped: positiveInteger('rateLimit.maxDropped', options.rateLimit?.maxDropped ?? 100),
    },
    maxConnectionsPerIp: positiveInteger('maxConnectionsPerIp', options.maxConnectionsPerIp ?? 50),
    trustProxy: options.trustProxy === true,
    heartbeatIntervalMs: positiveInteger('heartbeatIntervalMs', options.heartbeatIntervalMs ?? 30_000),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs ?? 5_000, true),
    maxTokenTtlSeconds: positiveInteger('maxTokenTtlSeconds', options.maxTokenTtlSeconds ?? 3_600),
    metrics: options.metrics !== false,
    redis: resolveRedis(options),
    drainTimeoutMs: positiveInteger('drainTimeoutMs', options.drainTimeoutMs ?? 2_000, true),
    turn: resolveTurn(options),
  };
}

function resolveRedis(options: SignalingServerOptions): RedisConfig | undefined {
  if (!options.redisUrl) return undefined;
  let protocol: string;
  try {
    protocol = new URL(options.redisUrl).protocol;
  } catch {
    // The URL may carry a password: never echo it back.
    throw new ConfigError('REDIS_URL is not a URL (expected redis://host:port or rediss://...).');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://.');
  }
  const prefix = options.redisPrefix ?? 'p2p-call:';
  if (!/^[\w.:-]{1,64}$/u.test(prefix)) throw new ConfigError(`redisPrefix must be 1-64 of A-Z a-z 0-9 _ . : -`);
  return { url: options.redisUrl, prefix, leaseMs: positiveInteger('redisLeaseMs', options.redisLeaseMs ?? 15_000) };
}

function resolveTurn(options: SignalingServerOptions): TurnConfig | undefined {
  const urls = options.turnUrls ?? [];
  if (!options.turnSecret && urls.length === 0) return undefined;
  if (!options.turnSecret || urls.length === 0) {
    throw new ConfigError('TURN credentials need both TURN_SECRET and TURN_URLS (or neither).');
  }
  for (const url of urls) {
    if (!/^turns?:[^\s]+$/u.test(url)) throw new ConfigError(`Not a TURN URL: "${url}" (expected turn: or turns:).`);
  }
  return {
    secret: options.turnSecret,
    urls,
    ttlSeconds: positiveInteger('turnTtlSeconds', options.turnTtlSeconds ?? 3_600),
  };
}

/**
 * Options from the environment, for the bin and for scripts that embed the server:
 * PORT, HOST, P2P_CALL_SECRET, P2P_CALL_SECRET_FILE, P2P_CALL_OPEN, P2P_CALL_ALLOWED_ORIGINS, P2P_CALL_TRUST_PROXY,
 * P2P_CALL_MAX_CONNECTIONS_PER_IP, P2P_CALL_METRICS, REDIS_URL, P2P_CALL_REDIS_PREFIX, P2P_CALL_REDIS_LEASE_MS,
 * P2P_CALL_DRAIN_TIMEOUT_MS, TURN_SECRET, TURN_SECRET_FILE, TURN_URLS, TURN_TTL.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): SignalingServerOptions {
  const options: SignalingServerOptions = {};
  if (env.PORT) options.port = toNumber('PORT', env.PORT);
  if (env.HOST) options.host = env.HOST;
  if (env.P2P_CALL_SECRET_FILE) options.secret = readSecretFile(env.P2P_CALL_SECRET_FILE);
  if (env.P2P_CALL_SECRET) options.secret = env.P2P_CALL_SECRET;
  if (env.P2P_CALL_OPEN) options.open = isTrue(env.P2P_CALL_OPEN);
  if (env.P2P_CALL_ALLOWED_ORIGINS) options.allowedOrigins = splitList(env.P2P_CALL_ALLOWED_ORIGINS);
  if (env.P2P_CALL_TRUST_PROXY) options.trustProxy = isTrue(env.P2P_CALL_TRUST_PROXY);
  if (env.P2P_CALL_MAX_CONNECTIONS_PER_IP) {
    options.maxConnectionsPerIp = toNumber('P2P_CALL_MAX_CONNECTIONS_PER_IP', env.P2P_CALL_MAX_CONNECTIONS_PER_IP);
  }
  if (env.P2P_CALL_METRICS) options.metrics = isTrue(env.P2P_CALL_METRICS);
  if (env.REDIS_URL) options.redisUrl = env.REDIS_URL;
  if (env.P2P_CALL_REDIS_PREFIX) options.redisPrefix = env.P2P_CALL_REDIS_PREFIX;
  if (env.P2P_CALL_REDIS_LEASE_MS)
    options.redisLeaseMs = toNumber('P2P_CALL_REDIS_LEASE_MS', env.P2P_CALL_REDIS_LEASE_MS);
  if (env.P2P_CALL_DRAIN_TIMEOUT_MS) {
    options.drainTimeoutMs = toNumber('P2P_CALL_DRAIN_TIMEOUT_MS', env.P2P_CALL_DRAIN_TIMEOUT_MS);
  }
  if (env.TURN_SECRET_FILE) options.turnSecret = readSecretFile(env.TURN_SECRET_FILE);
  if (env.TURN_SECRET) options.turnSecret = env.TURN_SECRET;
  if (env.TURN_URLS) options.turnUrls = splitList(env.TURN_URLS);
  if (env.TURN_TTL) options.turnTtlSeconds = toNumber('TURN_TTL', env.TURN_TTL);
  return options;
}

/** Reads a secret from a file (systemd credentials, container secrets), so it never sits in the environment. */
export function readSecretFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    throw new ConfigError(`Cannot read the secret file ${path}.`);
  }
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function normalizeOrigin(origin: string): string {
  try {
    const parsed = new URL(origin);
    if (parsed.origin === 'null') throw new Error();
    return parsed.origin;
  } catch {
    throw new ConfigError(`Not an origin: "${origin}" (expected e.g. https://app.example.com).`);
  }
}

function isTrue(value: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

function toNumber(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number)) throw new ConfigError(`${name} must be an integer, got "${value}".`);
  return number;
}

function positiveInteger(name: string, value: number, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || (name === 'port' && value > 65535)) {
    throw new ConfigError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}.`);
  }
  return value;
}
