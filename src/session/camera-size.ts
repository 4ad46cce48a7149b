/**
 * The camera's size on the wire: a camera larger than VGA is sent reduced (scaled down to within VGA) while the
 * browser's bandwidth estimate says the path carries too little for its full size: at the start of every connection,
 * and again when the path narrows.
 *
 * Why at the start: a new connection's estimate starts at ~300 kbit/s, too little for 720p by Chromium's own table,
 * so its encoder drops the first frames of a 720p camera while it asks for a smaller picture, and the other person's
 * first frame came ~0.3 s after the connection was up instead of ~0.07 s (measured in the bench page: 294-354 ms
 * against 52-105 ms with the picture halved from the start, 640 pixels wide either way). Chromium then stayed at that
 * size for 12 s and more on a good path; reduced by the element, the camera goes to full size at the first quality
 * sample that shows room (2 s in).
 *
 * Why when the path narrows: a call at full size that meets a narrow path (a 500 kbit/s cap in the network lab) kept
 * 720p for many seconds, its packets dropped at the bottleneck, before Chromium's own adaptation lowered it. The two
 * thresholds are far apart so that a path near one of them does not switch sizes at every sample.
 *
 * Where the browser tells no estimate (Firefox), the camera goes to full size at the first look and stays there.
 *
 * Only a call's first connection to a person starts reduced; one that replaces it (a recovery) starts at full size.
 * In the network lab, with every connection starting reduced, the other page's video stopped after the replacement's
 * first frame in 5 of ~36 recoveries (frames decoded on time, none presented, the player's own count standing still)
 * until the step to full size 2.5 s later; with replacements at full size, in none of ~45 since. Their first frames
 * then come 0.3-0.7 s after the connection instead of 0.1 s, as before this file existed.
 */
/** The largest picture sent while reduced: VGA, what the starting estimate carries without dropped frames. */
const REDUCED_PIXELS = 640 * 480;
/** The estimate (bits per second) from which a reduced camera goes to its full size. */
export const FULL_SIZE_ESTIMATE_BPS = 1_000_000;
/** The estimate under which a camera at full size is reduced again. */
export const REDUCE_BELOW_BPS = 500_000;

/** The factor a camera of `width` x `height` is scaled down by while reduced (1: it is small enough as it is). */
export function reducedScale(width: number | undefined, height: number | undefined): number {
  if (!width || !height || width * height <= REDUCED_PIXELS) return 1;
  return Math.ceil(Math.sqrt((width * height) / REDUCED_PIXELS));
}

/** Whether the camera should be reduced after a look at the estimate (undefined: the browser tells none). */
export function nextReduced(reduced: boolean, estimate: number | undefined): boolean {
  if (estimate === undefined) return false;
  return reduced ? estimate < FULL_SIZE_ESTIMATE_BPS : estimate < REDUCE_BELOW_BPS;
}

/** The browser's bandwidth estimate for what this side sends, from the selected pair's stats (selected-pair.ts). */
export function outgoingEstimate(pair: Record<string, unknown> | undefined): number | undefined {
  const estimate = pair?.availableOutgoingBitrate;
  return typeof estimate === 'number' && Number.isFinite(estimate) && estimate > 0 ? estimate : undefined;
}
