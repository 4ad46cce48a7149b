/**
 * Reads how media actually travels: the selected candidate pair's local and remote types, and the protocol this side's
 * packets leave it with: for a relay, how it reaches the TURN server (TURN over TCP or TLS is what gets a call through
 * a firewall that drops UDP, though the relayed leg itself is UDP).
 */
import type { RouteDetail } from '../session/call-events.js';
import { selectedPair } from './selected-pair.js';

/** The route, and where the other end of the path is (for the relay guard; not part of the public event). */
export interface SelectedRoute extends RouteDetail {
  remoteAddress?: string;
  remotePort?: number;
}

export async function selectedRoute(connection: RTCPeerConnection): Promise<SelectedRoute | undefined> {
  return routeFromTransport(connection) ?? (await routeFromStats(connection));
}

/**
 * The ICE transport knows its selected pair directly (Chromium, Safari): no getStats, which gathers every statistic
 * of the connection on the threads that carry its media. With max-bundle every sender and the data channel share
 * this one transport.
 */
function routeFromTransport(connection: RTCPeerConnection): SelectedRoute | undefined {
  const transport = connection.sctp?.transport.iceTransport;
  if (typeof transport?.getSelectedCandidatePair !== 'function') return undefined;
  const pair = transport.getSelectedCandidatePair();
  if (!pair?.local?.type || !pair.remote?.type) return undefined;
  // A peer-reflexive candidate was learned from a check that beat the peer's own description of it (a relay, say).
  // The transport keeps that first impression; getStats shows the type the description gave: ask it instead.
  if (pair.local.type === 'prflx' || pair.remote.type === 'prflx') return undefined;
  const local = pair.local as RTCIceCandidate & { relayProtocol?: string | null };
  return {
    ...describe(pair.local.type, pair.remote.type, local.relayProtocol ?? local.protocol ?? undefined),
    remoteAddress: plainAddress(pair.remote.address),
    remotePort: pair.remote.port ?? undefined,
  };
}

/** Firefox's ICE transport does not tell its selected pair: the same facts from getStats. */
async function routeFromStats(connection: RTCPeerConnection): Promise<SelectedRoute | undefined> {
  return routeFromReport(await connection.getStats());
}

/**
 * The route as a getStats report tells it (one taken for another purpose will do: see LinkServices), from its
 * selected pair (given when the caller has found it already).
 */
export function routeFromReport(stats: RTCStatsReport, pair = selectedPair(stats)): SelectedRoute | undefined {
  if (!pair) return undefined;
  const local = stats.get(pair.localCandidateId as string) as Record<string, unknown> | undefined;
  const remote = stats.get(pair.remoteCandidateId as string) as Record<string, unknown> | undefined;
  if (!local || !remote) return undefined;
  const address = remote.address ?? remote.ip;
  return {
    ...describe(
      String(local.candidateType ?? 'unknown'),
      String(remote.candidateType ?? 'unknown'),
      (local.relayProtocol ?? local.protocol) as string | undefined,
    ),
    remoteAddress: plainAddress(address),
    remotePort: typeof remote.port === 'number' ? remote.port : undefined,
  };
}

/**
 * An address as candidate lines write it: Chromium's ICE transport gives an IPv6 address in brackets ("[fd00::2]"),
 * getStats and SDP without; the relay guard compares it with the addresses candidate lines announced.
 */
function plainAddress(address: unknown): string | undefined {
  return typeof address === 'string' && address ? address.replace(/^\[(.*)\]$/u, '$1').toLowerCase() : undefined;
}

function describe(localType: string, remoteType: string, protocol = 'udp'): RouteDetail {
  return {
    route: localType === 'relay' || remoteType === 'relay' ? 'relay' : 'direct',
    local: localType,
    remote: remoteType,
    protocol: String(protocol),
  };
}
