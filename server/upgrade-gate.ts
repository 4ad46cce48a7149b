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
  { ok: true; grant?: JoinGrant } | { ok: false; status: 401 | 403 | 404 | 429 | 503; reason: RefusalReason };

export const RefusalReason = {
  NotFound: 'not-found',
  Draining: 'draining',
  Origin: 'origin',
  TooManyConnections: 'too-many-connections',
  MissingToken: 'missing-token',
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

    const release = limiter.acquire(clientAddress(request, config.trustProxy));
    if (!release) return { ok: false, status: 429, reason: RefusalReason.TooManyConnections };
    // Bound to the TCP socket, the slot comes back however the connection ends: refused, closed or cut.
    socket.once('close', release);

    const token = url.searchParams.get('token') ?? bearerToken(request);
    if (!token || !config.secret) {
      if (config.open) return { ok: true };
      return { ok: false, status: 401, reason: RefusalReason.MissingToken };
    }
    const grant = await verifyJoinToken(token, config.secret, config.maxTokenTtlSeconds);
    if (!grant) return { ok: false, status: 401, reason: RefusalReason.BadToken };
    return { ok: true, grant };
  };
}

/** Non-browser clients may send the token as a header instead of in the URL, where proxies tend to log it. */
function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/iu.exec(request.headers.authorization ?? '');
  return match?.[1];
}
