/**
 * The candidate pair a connection's packets travel on, from a getStats report: Chromium names it on the transport
 * report, Firefox (which has no transport report) marks the pair itself as selected. Chromium's transport report was
 * seen without the name on connected calls (a loaded machine, NATed sides); the pair in use is then the nominated,
 * succeeded one that carries the bytes.
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
  if (!pair) {
    stats.forEach((report: Record<string, unknown>) => {
      if (report.type !== 'candidate-pair' || report.nominated !== true || report.state !== 'succeeded') return;
      if (!pair || bytesReceived(report) > bytesReceived(pair)) pair = report;
    });
  }
  return pair;
}

const bytesReceived = (report: Record<string, unknown>): number =>
  typeof report.bytesReceived === 'number' ? report.bytesReceived : 0;
