/**
 * Headers on every HTTP answer of the server, refusals included: no MIME sniffing, no Referer leaving the pages
 * (a room name in the URL must not reach another site), and a Content-Security-Policy: the configured page policy
 * for static files, `default-src 'none'` for everything else the server says (404s, /metrics, /healthz).
 * `frame-ancestors` is in both, with `X-Frame-Options` beside it for browsers that predate CSP 2.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ServerConfig } from './config.js';

export interface SecurityHeaders {
  /** For every response. */
  common: Record<string, string>;
  /** Overrides for static files (their page policy). */
  files: OutgoingHttpHeaders;
}

export function securityHeaders(
  config: Pick<ServerConfig, 'frameAncestors' | 'contentSecurityPolicy'>,
): SecurityHeaders {
  const frameAncestors = `frame-ancestors ${config.frameAncestors.join(' ')}`;
  const frameOptions: Record<string, string> =
    config.frameAncestors[0] === "'none'"
      ? { 'x-frame-options': 'DENY' }
      : config.frameAncestors.length === 1 && config.frameAncestors[0] === "'self'"
        ? { 'x-frame-options': 'SAMEORIGIN' }
        : {};
  return {
    common: {
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': `default-src 'none'; ${frameAncestors}`,
      ...frameOptions,
    },
    files: { 'content-security-policy': `${config.contentSecurityPolicy}; ${frameAncestors}` },
  };
}

/** The same headers as raw lines, for answers written straight to a socket (refused upgrades). */
export function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}
