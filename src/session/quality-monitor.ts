/**
 * Connection quality from getStats: round-trip time, jitter and packet loss of the media coming in, and the route.
 * Polled while connected (every QUALITY_INTERVAL_MS), reported at most once per interval. Loss is measured over the last interval (counters
 * are cumulative), so a burst shows up and then clears.
 */
import type { QualityDetail, QualityLevel } from '../session/call-events.js';
import { selectedPair } from './selected-pair.js';

type Report = Record<string, unknown>;
export interface Counters {
  lost: number;
  received: number;
}

/** Levels as the person experiences them: beyond ~300 ms or ~5% loss conversation starts to suffer. */
function qualityLevel(rtt: number, jitter: number, loss: number): QualityLevel {
  if (rtt > 400 || loss > 0.08 || jitter > 100) return 'poor';
  if (rtt > 200 || loss > 0.02 || jitter > 40) return 'fair';
  return 'good';
}

/** Reads one sample from a stats report; `previous` counters turn cumulative loss into loss over the interval. */
export function readQuality(
  stats: RTCStatsReport,
  previous: Counters | undefined,
  budget: number,
): { detail: QualityDetail; counters: Counters } {
  const pair = selectedPair(stats);
  let jitter = 0;
  const counters: Counters = { lost: 0, received: 0 };
  stats.forEach((report: Report) => {
    if (report.type === 'inbound-rtp') {
      jitter = Math.max(jitter, Number(report.jitter ?? 0) * 1000);
      counters.lost += Number(report.packetsLost ?? 0);
      counters.received += Number(report.packetsReceived ?? 0);
    }
  });
  const rtt = Number(pair?.currentRoundTripTime ?? 0) * 1000;
  const lost = counters.lost - (previous?.lost ?? 0);
  const total = lost + counters.received - (previous?.received ?? 0);
  const loss = total > 0 ? Math.max(0, lost / total) : 0;
  const local = pair && (stats.get(pair.localCandidateId as string) as Report | undefined);
  const remote = pair && (stats.get(pair.remoteCandidateId as string) as Report | undefined);
  const route = local?.candidateType === 'relay' || remote?.candidateType === 'relay' ? 'relay' : 'direct';
  // One-way delay estimate: half the round trip plus the jitter the receiver must buffer against.
  const delay = rtt / 2 + jitter;
  return {
    detail: {
      rtt,
      jitter,
      loss,
      delay,
      route,
      level: qualityLevel(rtt, jitter, loss),
      budget,
      overBudget: budget > 0 && delay > budget,
    },
    counters,
  };
}

/**
 * How often quality is sampled. Every getStats() gathers every statistic of the connection and hands them to the
 * page's main thread as objects: in a running call that was the element's largest cost per second after the video
 * itself. A figure two seconds old is as good for an indicator.
 */
export const QUALITY_INTERVAL_MS = 2000;

export class QualityMonitor {
  #timer?: ReturnType<typeof setTimeout>;
  #counters?: Counters;
  #last = -Infinity;

  constructor(
    private readonly getStats: () => Promise<RTCStatsReport>,
    private readonly report: (detail: QualityDetail) => void,
    /** Latency budget in ms (0: none); read on every sample so changes apply at once. */
    private readonly budget: () => number,
    private readonly intervalMs = QUALITY_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    if (this.#timer === undefined) this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#counters = undefined;
  }

  /**
   * Takes one sample now. Returns it when it may be reported: not when the previous one is less than an interval
   * old (a slow getStats can make timer callbacks bunch up).
   */
  async sample(): Promise<QualityDetail | undefined> {
    const stats = await this.getStats().catch(() => undefined);
    if (!stats) return undefined;
    const { detail, counters } = readQuality(stats, this.#counters, this.budget());
    this.#counters = counters;
    if (this.now() - this.#last < this.intervalMs) return undefined;
    this.#last = this.now();
    return detail;
  }

  #schedule(): void {
    const timer = setTimeout(async () => {
      const detail = await this.sample();
      if (this.#timer !== timer) return; // stopped while getStats ran
      if (detail) this.report(detail);
      this.#schedule();
    }, this.intervalMs);
    this.#timer = timer;
  }
}
