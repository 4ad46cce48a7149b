/**
 * The candidate pair a connection's packets travel on, from a getStats report: Chromium names it on the transport
 * report, Firefox (which has no transport report) marks the pair itself as selected.
 */
export function selectedPair(stats: RTCStatsReport): Record<string, unknown> | undefined {
  let pair: Record<string, unknown> | undefined;
  stats.forEach((report: Record<string, unknown>) => {
    if (report.type === 'transport' && typeof report.selectedCandidatePairId === 'string') {
      pair = stats.get(report.selectedCandidatePairId) as Record<string, unknown> | undefined;
    }
  });
  stats.forEach((report: Record<string, unknown>) => {
    if (!pair && report.type === 'candidate-pair' && report.selected === true) pair = report;
  });
  return pair;
}
