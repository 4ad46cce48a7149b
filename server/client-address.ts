/**
 * The address a connection comes from, used only as a key for the per-IP limit and never logged.
 * Behind a reverse proxy every socket comes from the proxy, so the proxy's `X-Forwarded-For` is trusted when asked.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = request.headers['x-forwarded-for'];
    const forwarded = (Array.isArray(header) ? header.join(',') : header)?.split(',').at(-1)?.trim();
    // The last hop is the one our proxy appended; earlier ones are whatever the client chose to send.
    if (forwarded) return forwarded;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
