/**
 * A camera larger than VGA starts sending at a reduced size, and goes to full size once the bandwidth estimate shows
 * room for it.
 *
 * Why: a new connection's bandwidth estimate starts at ~300 kbit/s, too little for 720p by Chromium's own table, so
 * its encoder drops the first frames of a 720p camera while it asks for a smaller picture, and the other person's
 * first frame comes ~0.3 s after the connection is up instead of ~0.07 s (measured in the bench page: 294-354 ms
 * against 52-105 ms with the picture halved from the start, the first frames 640 pixels wide either way). That wait
 * comes with every new connection: at the start of a call, and after every recovery from a network change.
 * Starting at the size the browser would pick anyway skips it; the full size follows as soon as the estimate grows
 * (within the first quality sample on a good network), or at once where the browser tells no estimate (Firefox).
 */
import { selectedPair } from './selected-pair.js';

/** The largest picture a connection starts with: VGA, what the starting estimate carries without dropped frames. */
const START_PIXELS = 640 * 480;
/** The estimate (bits per second) at which the camera goes to its full size. */
export const FULL_SIZE_ESTIMATE_BPS = 1_000_000;

/** The factor a camera of `width` x `height` is scaled down by at the start (1: sent as it is). */
export function startScale(width: number | undefined, height: number | undefined): number {
  if (!width || !height || width * height <= START_PIXELS) return 1;
  return Math.ceil(Math.sqrt((width * height) / START_PIXELS));
}

/** Whether a camera started scaled down may go to its full size, given the estimate (undefined: none is told). */
export function fullSizeFits(estimate: number | undefined): boolean {
  return estimate === undefined || estimate >= FULL_SIZE_ESTIMATE_BPS;
}

/** The browser's bandwidth estimate for what this side sends (the selected pair's), from a getStats report. */
export function outgoingEstimate(stats: RTCStatsReport): number | undefined {
  const estimate = selectedPair(stats)?.availableOutgoingBitrate;
  return typeof estimate === 'number' && Number.isFinite(estimate) && estimate > 0 ? estimate : undefined;
}
