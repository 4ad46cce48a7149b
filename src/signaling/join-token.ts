/**
 * A join token (a JWT minted by the host's backend, see docs/server.md) binds a seat to one participant id, its
 * `sub`. The browser reads that id to join as it, without verifying anything: verification is the server's job.
 */
export function tokenSubject(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/gu, '+').replace(/_/gu, '/')));
    const sub = (json as { sub?: unknown } | null)?.sub;
    return typeof sub === 'string' && sub ? sub : undefined;
  } catch {
    return undefined;
  }
}
