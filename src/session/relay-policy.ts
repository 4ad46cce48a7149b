/**
 * `relay="allow|forbid|only"` mapped onto the ICE configuration. `forbid`: TURN servers are removed, so no relay
 * candidate is ever gathered or sent; `only`: every path goes through TURN, which hides both people's addresses
 * from each other (and needs a TURN server).
 */
export type RelayPolicy = 'allow' | 'forbid' | 'only';

export const RELAY_POLICIES: readonly RelayPolicy[] = ['allow', 'forbid', 'only'];

const isTurnUrl = (url: string) => /^turns?:/iu.test(url.trim());

export function applyRelayPolicy(
  iceServers: RTCIceServer[],
  policy: RelayPolicy,
): { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy } {
  if (policy === 'only') return { iceServers, iceTransportPolicy: 'relay' };
  if (policy === 'allow') return { iceServers, iceTransportPolicy: 'all' };
  const withoutTurn = iceServers
    .map((server) => ({ ...server, urls: [server.urls].flat().filter((url) => !isTurnUrl(url)) }))
    .filter((server) => server.urls.length > 0);
  return { iceServers: withoutTurn, iceTransportPolicy: 'all' };
}

/** True for a TURN server entry (used to warn when `only` has nothing to relay through). */
export function hasTurnServer(iceServers: RTCIceServer[]): boolean {
  return iceServers.some((server) => [server.urls].flat().some(isTurnUrl));
}

/** An outgoing ICE candidate of relay type (never sent under `forbid`, as a second line of defence). */
export function isRelayCandidate(payload: { type: string; candidate?: unknown }): boolean {
  const candidate = (payload.candidate as { candidate?: unknown } | undefined)?.candidate;
  return payload.type === 'candidate' && typeof candidate === 'string' && / typ relay( |$)/u.test(candidate);
}
