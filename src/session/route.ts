/** Reads how media actually travels from getStats: the selected candidate pair's local and remote types. */
import type { RouteDetail } from '../events.js';

export async function selectedRoute(connection: RTCPeerConnection): Promise<RouteDetail | undefined> {
  const stats = await connection.getStats();
  let pair: Record<string, unknown> | undefined;
  stats.forEach((report: Record<string, unknown>) => {
    if (report.type === 'transport' && typeof report.selectedCandidatePairId === 'string') {
      pair = stats.get(report.selectedCandidatePairId) as Record<string, unknown> | undefined;
    }
  });
  // Firefox has no transport.selectedCandidatePairId: use the pair it marks selected.
  stats.forEach((report: Record<string, unknown>) => {
    if (!pair && report.type === 'candidate-pair' && report.selected === true) pair = report;
  });
  if (!pair) return undefined;
  const local = stats.get(pair.localCandidateId as string) as Record<string, unknown> | undefined;
  const remote = stats.get(pair.remoteCandidateId as string) as Record<string, unknown> | undefined;
  if (!local || !remote) return undefined;
  const localType = String(local.candidateType ?? 'unknown');
  const remoteType = String(remote.candidateType ?? 'unknown');
  return {
    route: localType === 'relay' || remoteType === 'relay' ? 'relay' : 'direct',
    local: localType,
    remote: remoteType,
    protocol: String(local.protocol ?? 'udp'),
  };
}
