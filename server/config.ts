/**
 * Server configuration: the options a program passes, the environment an operator sets, and the checks that make a
 * misconfigured server refuse to start rather than run unprotected.
 */
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
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
  /** Concurrent WebSocket connections to this process, from everyone; more get HTTP 503. Default 10,000. */
  maxConnections?: number;
  /** Rooms with a member on this process; a join that would open one more gets a `server-full` error. Default 5,000. */
  maxRooms?: number;
  /**
   * Reverse proxies whose `X-Forwarded-For` is believed, for the per-IP limits: addresses or CIDR ranges
   * (`['10.0.0.0/8', '127.0.0.1']`). The header is read from the right, one hop per trusted proxy; the first address
   * that is not a trusted proxy is the client. `true` means a proxy on this host (127.0.0.1 and ::1). Default: none
   * (the TCP peer address is the client).
   */
  trustProxy?: boolean | readonly string[];
  /** Ping interval; a socket that has not answered the previous ping is terminated and its seat freed. Default 30 s. */
  heartbeatIntervalMs?: number;
  /** How long `close()` waits for sockets to close after sending 1001 before cutting them. Default 5 s. */
  shutdownTimeoutMs?: number;
  /** Tokens valid for longer than this (from now) are refused, so a leaked token cannot be used for long. Default 1 h. */
  maxTokenTtlSeconds?: number;
  /** The `iss` a join token must carry. Default `p2p-call` (what `mintJoinToken` sets by default). */
  tokenIssuer?: string;
  /** The `aud` a join token must carry. Default `p2p-call-signaling` (what `mintJoinToken` sets by default). */
  tokenAudience?: string;
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
  /**
   * TURN credentials for seats taken without a join token (open mode). Default false: only token-bound seats get
   * them, since anyone could otherwise use your relay. When on, the server logs a warning at start.
   */
  turnInOpenMode?: boolean;
  /** TURN credentials minted at once for one subject (token `sub`, or client address for tokenless seats). Default 5. */
  turnCredentialBurst?: number;
  /** Seconds until a subject may mint one more after its burst is spent. Default 60. */
  turnCredentialRefillSeconds?: number;
  /**
   * Who may frame the pages this server sends: `'none'`, `'self'` and/or origins (`https://ats.example.com`), as in
   * CSP `frame-ancestors`. Default `'none'`.
   */
  frameAncestors?: readonly string[];
  /**
   * Content-Security-Policy for the static files (without `frame-ancestors`, which comes from `frameAncestors`).
   * Default: `DEMO_CONTENT_SECURITY_POLICY`, strict (no inline scripts or styles, no other origins).
   */
  contentSecurityPolicy?: string;
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
  /** Tokenless (open-mode) seats get credentials too. */
  openSeats: boolean;
  /** Credentials one subject may mint at once. */
  burst: number;
  /** Seconds per further credential once the burst is spent. */
  refillSeconds: number;
}

export interface TokenConfig {
  secret: Uint8Array;
  maxTtlSeconds: number;
  issuer: string;
  audience: string;
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
  /** Set when a secret is configured: how join tokens are checked. */
  token?: TokenConfig;
  open: boolean;
  allowedOrigins?: ReadonlySet<string>;
  maxPayload: number;
  rateLimit: RateLimitOptions;
  maxConnectionsPerIp: number;
  maxConnections: number;
  maxRooms: number;
  /** Addresses whose `X-Forwarded-For` is believed; undefined: nobody's. */
  trustedProxies?: BlockList;
  heartbeatIntervalMs: number;
  shutdownTimeoutMs: number;
  metrics: boolean;
  redis?: RedisConfig;
  drainTimeoutMs: number;
  turn?: TurnConfig;
  /** CSP `frame-ancestors` sources, already validated. */
  frameAncestors: readonly string[];
  /** CSP for static files, without `frame-ancestors`. */
  contentSecurityPolicy: string;
}

/** The `iss` and `aud` that `mintJoinToken` sets and the server expects unless configured otherwise. */
export const DEFAULT_TOKEN_ISSUER = 'p2p-call';
export const DEFAULT_TOKEN_AUDIENCE = 'p2p-call-signaling';

/**
 * The demo's policy: its own scripts, styles and connections only (the signaling WebSocket is same-origin), images
 * from itself or data:/blob: URLs (the favicon, received pictures), no plugins, no <base>, forms only to itself.
 */
export const DEMO_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

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
    token: secret && {
      secret,
      maxTtlSeconds: positiveInteger('maxTokenTtlSeconds', options.maxTokenTtlSeconds ?? 3_600),
      issuer: claimValue('tokenIssuer', options.tokenIssuer ?? DEFAULT_TOKEN_ISSUER),
      audience: claimValue('tokenAudience', options.tokenAudience ?? DEFAULT_TOKEN_AUDIENCE),
    },
    open,
    allowedOrigins: options.allowedOrigins?.length ? new Set(options.allowedOrigins.map(normalizeOrigin)) : undefined,
    maxPayload: positiveInteger('maxPayload', options.maxPayload ?? 64 * 1024),
    rateLimit: {
      perSecond: positiveInteger('rateLimit.perSecond', options.rateLimit?.perSecond ?? 50),
      burst: positiveInteger('rateLimit.burst', options.rateLimit?.burst ?? 100),
      maxDropped: positiveInteger('rateLimit.maxDropped', options.rateLimit?.maxDropped ?? 100),
    },
    maxConnectionsPerIp: positiveInteger('maxConnectionsPerIp', options.maxConnectionsPerIp ?? 50),
    maxConnections: positiveInteger('maxConnections', options.maxConnections ?? 10_000),
    maxRooms: positiveInteger('maxRooms', options.maxRooms ?? 5_000),
    trustedProxies: resolveTrustedProxies(options.trustProxy),
    heartbeatIntervalMs: positiveInteger('heartbeatIntervalMs', options.heartbeatIntervalMs ?? 30_000),
    shutdownTimeoutMs: positiveInteger('shutdownTimeoutMs', options.shutdownTimeoutMs ?? 5_000, true),
    metrics: options.metrics !== false,
    redis: resolveRedis(options),
    drainTimeoutMs: positiveInteger('drainTimeoutMs', options.drainTimeoutMs ?? 2_000, true),
    turn: resolveTurn(options, open),
    frameAncestors: resolveFrameAncestors(options.frameAncestors ?? ["'none'"]),
    contentSecurityPolicy: resolveContentSecurityPolicy(options.contentSecurityPolicy ?? DEMO_CONTENT_SECURITY_POLICY),
  };
}

/** `true`: a proxy on this host. A list: addresses and CIDR ranges, IPv4 or IPv6. */
function resolveTrustedProxies(trustProxy: SignalingServerOptions['trustProxy']): BlockList | undefined {
  if (!trustProxy) return undefined;
  const entries = trustProxy === true ? ['127.0.0.1', '::1'] : trustProxy;
  if (!Array.isArray(entries)) throw new ConfigError('trustProxy must be true or a list of addresses or CIDR ranges.');
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const match = /^([^/\s]+?)(?:\/(\d{1,3}))?$/u.exec(String(entry).trim());
    const family = match ? isIP(match[1]) : 0;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    const prefix = match?.[2] === undefined ? undefined : Number(match[2]);
    if (!match || family === 0 || (prefix !== undefined && prefix > (family === 6 ? 128 : 32))) {
      throw new ConfigError(
        `Not a proxy address or CIDR range: "${entry}" (expected e.g. 127.0.0.1, 10.0.0.0/8 or fd00::/8).`,
      );
    }
    if (prefix === undefined) list.addAddress(match[1], type);
    else list.addSubnet(match[1], prefix, type);
  }
  return list;
}

/** CSP `frame-ancestors` sources: `'none'` alone, or `'self'` and origins (a leading `*.` in the host is allowed). */
function resolveFrameAncestors(sources: readonly string[]): string[] {
  const normalized = sources.map((source) => {
    const bare = source
      .trim()
      .replace(/^'(none|self)'$/iu, '$1')
      .toLowerCase();
    if (bare === 'none' || bare === 'self') return `'${bare}'`;
    if (/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/u.test(bare)) return bare;
    throw new ConfigError(
      `Not a frame-ancestors source: "${source}" (expected 'none', 'self' or an origin such as https://app.example.com).`,
    );
  });
  if (normalized.length === 0) throw new ConfigError("frameAncestors must not be empty (use 'none').");
  if (normalized.includes("'none'") && normalized.length > 1) {
    throw new ConfigError("frameAncestors: 'none' cannot be combined with other sources.");
  }
  return normalized;
}

function resolveContentSecurityPolicy(policy: string): string {
  const trimmed = policy.trim().replace(/;\s*$/u, '');
  // A header value: printable ASCII only (a line break would split the response); frame-ancestors has its own option.
  if (!/^[\x20-\x7e]+$/u.test(trimmed)) {
    throw new ConfigError('contentSecurityPolicy must be one non-empty line of printable ASCII.');
  }
  if (/(^|;)\s*frame-ancestors\b/iu.test(trimmed)) {
    throw new ConfigError('contentSecurityPolicy must not set frame-ancestors: use frameAncestors instead.');
  }
  return trimmed;
}

/** An `iss` or `aud` value: printable, at most 256 characters. */
function claimValue(name: string, value: string): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,256}$/u.test(value)) {
    throw new ConfigError(`${name} must be 1-256 printable ASCII characters without spaces.`);
  }
  return value;
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

function resolveTurn(options: SignalingServerOptions, open: boolean): TurnConfig | undefined {
  const urls = options.turnUrls ?? [];
  if (options.turnInOpenMode && !open) {
    throw new ConfigError('turnInOpenMode only applies to open mode (--open): every seat needs a token otherwise.');
  }
  if (!options.turnSecret && urls.length === 0) {
    if (options.turnInOpenMode) throw new ConfigError('turnInOpenMode needs TURN_SECRET and TURN_URLS.');
    return undefined;
  }
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
    openSeats: options.turnInOpenMode === true,
    burst: positiveInteger('turnCredentialBurst', options.turnCredentialBurst ?? 5),
    refillSeconds: positiveInteger('turnCredentialRefillSeconds', options.turnCredentialRefillSeconds ?? 60),
  };
}

/**
 * Options from the environment, for the bin and for scripts that embed the server:
 * PORT, HOST, P2P_CALL_SECRET, P2P_CALL_SECRET_FILE, P2P_CALL_OPEN, P2P_CALL_ALLOWED_ORIGINS, P2P_CALL_TRUST_PROXY,
 * P2P_CALL_MAX_CONNECTIONS_PER_IP, P2P_CALL_MAX_CONNECTIONS, P2P_CALL_MAX_ROOMS, P2P_CALL_METRICS,
 * P2P_CALL_TOKEN_ISSUER, P2P_CALL_TOKEN_AUDIENCE, P2P_CALL_FRAME_ANCESTORS, P2P_CALL_CONTENT_SECURITY_POLICY,
 * REDIS_URL, P2P_CALL_REDIS_PREFIX, P2P_CALL_REDIS_LEASE_MS, P2P_CALL_DRAIN_TIMEOUT_MS, TURN_SECRET,
 * TURN_SECRET_FILE, TURN_URLS, TURN_TTL, P2P_CALL_TURN_IN_OPEN_MODE, TURN_CREDENTIAL_BURST,
 * TURN_CREDENTIAL_REFILL_SECONDS.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): SignalingServerOptions {
  const options: SignalingServerOptions = {};
  if (env.PORT) options.port = toNumber('PORT', env.PORT);
  if (env.HOST) options.host = env.HOST;
  if (env.P2P_CALL_SECRET_FILE) options.secret = readSecretFile(env.P2P_CALL_SECRET_FILE);
  if (env.P2P_CALL_SECRET) options.secret = env.P2P_CALL_SECRET;
  if (env.P2P_CALL_OPEN) options.open = isTrue(env.P2P_CALL_OPEN);
  if (env.P2P_CALL_ALLOWED_ORIGINS) options.allowedOrigins = splitList(env.P2P_CALL_ALLOWED_ORIGINS);
  if (env.P2P_CALL_TRUST_PROXY) options.trustProxy = trustProxyFromText(env.P2P_CALL_TRUST_PROXY);
  if (env.P2P_CALL_MAX_CONNECTIONS_PER_IP) {
    options.maxConnectionsPerIp = toNumber('P2P_CALL_MAX_CONNECTIONS_PER_IP', env.P2P_CALL_MAX_CONNECTIONS_PER_IP);
  }
  if (env.P2P_CALL_MAX_CONNECTIONS) {
    options.maxConnections = toNumber('P2P_CALL_MAX_CONNECTIONS', env.P2P_CALL_MAX_CONNECTIONS);
  }
  if (env.P2P_CALL_MAX_ROOMS) options.maxRooms = toNumber('P2P_CALL_MAX_ROOMS', env.P2P_CALL_MAX_ROOMS);
  if (env.P2P_CALL_TOKEN_ISSUER) options.tokenIssuer = env.P2P_CALL_TOKEN_ISSUER;
  if (env.P2P_CALL_TOKEN_AUDIENCE) options.tokenAudience = env.P2P_CALL_TOKEN_AUDIENCE;
  if (env.P2P_CALL_FRAME_ANCESTORS) options.frameAncestors = splitSources(env.P2P_CALL_FRAME_ANCESTORS);
  if (env.P2P_CALL_CONTENT_SECURITY_POLICY) options.contentSecurityPolicy = env.P2P_CALL_CONTENT_SECURITY_POLICY;
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
  if (env.P2P_CALL_TURN_IN_OPEN_MODE) options.turnInOpenMode = isTrue(env.P2P_CALL_TURN_IN_OPEN_MODE);
  if (env.TURN_CREDENTIAL_BURST) {
    options.turnCredentialBurst = toNumber('TURN_CREDENTIAL_BURST', env.TURN_CREDENTIAL_BURST);
  }
  if (env.TURN_CREDENTIAL_REFILL_SECONDS) {
    options.turnCredentialRefillSeconds = toNumber(
      'TURN_CREDENTIAL_REFILL_SECONDS',
      env.TURN_CREDENTIAL_REFILL_SECONDS,
    );
  }
  return options;
}

/** `1`/`true`/`yes`/`on`: a proxy on this host; `0`/`false`/`no`/`off`: none; anything else: a list of ranges. */
export function trustProxyFromText(value: string): boolean | string[] {
  const word = value.trim().toLowerCase();
  if (isTrue(word)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(word)) return false;
  return splitList(value);
}

/** frame-ancestors sources, separated by commas or spaces as in a CSP. */
export function splitSources(value: string): string[] {
  return value.split(/[\s,]+/u).filter(Boolean);
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
