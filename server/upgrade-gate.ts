/**
 * Who may open a signaling socket. Every check runs on the HTTP upgrade request, before the WebSocket exists, so a
 * refused client costs one HTTP response and never reaches the frame handling. Refusals carry a status and nothing
 * else: why a token failed is for the server's counters, not for whoever holds the token.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { verifyJoinToken, type JoinGrant } from './auth.js';
import { clientAddress } from './client-address.js';
import type { ServerConfig } from './config.js';
import type { ConnectionLimiter } from './connection-limiter.js';

export const SIGNAL_PATH = '/signal';

export type Admission =
  | {
      ok: true;
      grant?: JoinGrant;
      /** The client's address (the per-IP key), for limits that apply after the upgrade. */
      address: string;
    }
  | { ok: false; status: 400 | 401 | 403 | 404 | 429 | 503; reason: RefusalReason };

export const RefusalReason = {
  NotFound: 'not-found',
  Draining: 'draining',
  Origin: 'origin',
  TooManyConnections: 'too-many-connections',
  ServerFull: 'server-full',
  MissingToken: 'missing-token',
  AmbiguousToken: 'ambiguous-token',
  BadToken: 'bad-token',
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

export function createUpgradeGate(config: ServerConfig, limiter: ConnectionLimiter, isDraining: () => boolean) {
  return async function admit(request: IncomingMessage, socket: Duplex): Promise<Admission> {
    if (isDraining()) return { ok: false, status: 503, reason: RefusalReason.Draining };
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== SIGNAL_PATH) return { ok: false, status: 404, reason: RefusalReason.NotFound };
    // Browsers always send Origin; with an allowlist, a request without one (a script, not a page) is refused too.
    if (config.allowedOrigins && !config.allowedOrigins.has(request.headers.origin ?? '')) {
      return { ok: false, status: 403, reason: RefusalReason.Origin };
    }

    const address = clientAddress(request, config.trustedProxies);
    const slot = limiter.acquire(address);
    if (!slot.ok) {
      return slot.limit === 'process'
        ? { ok: false, status: 503, reason: RefusalReason.ServerFull }
        : { ok: false, status: 429, reason: RefusalReason.TooManyConnections };
    }
    // Bound to the TCP socket, the slot comes back however the connection ends: refused, closed or cut.
    socket.once('close', slot.release);

    const tokens = tokensOf(url, request);
    if (tokens.length > 1) return { ok: false, status: 400, reason: RefusalReason.AmbiguousToken };
    const [token] = tokens;
    if (!token || !config.token) {
      if (config.open) return { ok: true, address };
      return { ok: false, status: 401, reason: RefusalReason.MissingToken };
    }
    const { secret, maxTtlSeconds, issuer, audience } = config.token;
    const grant = await verifyJoinToken(token, secret, maxTtlSeconds, { issuer, audience });
    if (!grant) return { ok: false, status: 401, reason: RefusalReason.BadToken };
    return { ok: true, grant, address };
  };
}

/**
 * The tokens a request carries: the `token` query parameter (browsers cannot set headers on a WebSocket) and an
 * `Authorization: Bearer` header (other clients; proxies tend to log URLs, not that header). An empty parameter
 * counts as absent. More than one (both places, or the parameter twice) is refused as ambiguous rather than picking
 * one, as RFC 6750 asks: a request carries its credentials one way.
 */
function tokensOf(url: URL, request: IncomingMessage): string[] {
  const fromQuery = url.searchParams.getAll('token').filter(Boolean);
  const fromHeader = /^Bearer\s+(\S+)\s*$/iu.exec(request.headers.authorization ?? '')?.[1];
  return fromHeader ? [...fromQuery, fromHeader] : fromQuery;
}
