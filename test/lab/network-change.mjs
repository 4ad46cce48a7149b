// Network change mid-call: `roam` (behind an EIM NAT) calls `home` (another EIM NAT) with STUN and server-minted
// TURN; once video flows both ways, roam's network changes under it, and the lab measures when frames flow again
// (requestVideoFrameCallback on each side's remote video) and when the element is `connected` again, with a timeline
// of what the element, ICE and the signaling socket did meanwhile.
//   address  a new address is added on roam's link and the old one removed (a laptop that moved to another network,
//            or got a new lease): every socket bound to the old address is dead, the NAT mapping is new.
//   route    roam's default route moves to the second router on its LAN (failover to another uplink): its address
//            stays, the public address the peer sees changes. The first router stays up.
//   link     roam's link goes down for a second and comes back with a new address (Wi-Fi joining another network):
//            unlike the two above, the browser sees the network go away (`offline`, then `online`).
import { setTimeout as sleep } from 'node:timers/promises';
import { runCall } from './lib/call.mjs';
import { closePage } from './lib/pages.mjs';
import { ipBatch } from './lib/shell.mjs';

/**
 * The test: frames and `connected` back on both sides within this, with no action from either person (the call
 * recovers by itself). A second attempt starts 6 s after the first; this leaves room for it.
 */
export const RECOVERY_LIMIT_MS = 10_000;
/**
 * The target (issue: under 3 s from the change): a speed figure, measured and reported on every run like the
 * bench's targets, not a pass/fail check: on this 2-core machine the same change takes 1.8-3.7 s from run to run.
 */
export const RECOVERY_TARGET_MS = 3000;
/** How long the lab watches after the change (--observe overrides it, for diagnosis). */
const DEFAULT_OBSERVE_MS = 20_000;
/**
 * A call that shows no pause in frames is only counted as unaffected once watched this long after the change: a path
 * that broke shows as a pause at once, but the session's reaction (a recovery that replaces a working link) may come
 * a few seconds later.
 */
const MIN_OBSERVE_MS = 6000;
/** A pause in presented frames longer than this is an interruption (the fake camera sends 30 frames a second). */
const GAP_MS = 500;
/** Frames count as flowing again once they keep coming for this long. */
const FLOWING_MS = 1000;

/**
 * Each change returns `{ restore, upAt }`: how to put the client back, and (for a change with an outage) when its new
 * network came up. Recovery is timed from the change, or from `upAt` where there is one: nothing can recover while
 * there is no network at all.
 */
export const CHANGES = {
  address: {
    summary: 'new address on the same link, old one removed',
    async apply(client) {
      const next = `10.${client.lan}.0.3`;
      const via = client.routers[0].lanAddress;
      // The default route goes with the old (primary) address; the new one takes over the link.
      await ipBatch(client.ns, [
        `addr add ${next}/24 dev lan0`,
        `addr del ${client.address}/24 dev lan0`,
        `route replace default via ${via}`,
      ]);
      const restore = () =>
        ipBatch(client.ns, [
          `addr add ${client.address}/24 dev lan0`,
          `addr del ${next}/24 dev lan0`,
          `route replace default via ${via}`,
        ]);
      return { restore };
    },
  },
  link: {
    summary: 'link down 1 s, back up with a new address',
    async apply(client) {
      const next = `10.${client.lan}.0.4`;
      const via = client.routers[0].lanAddress;
      // Every link of the client goes down (its LAN bridge and the bridge's ports): no network at all, as with the
      // Wi-Fi radio between two networks. The browser counts a link that is up as a network even without an address.
      const links = ['lan0', ...client.routers.map((_, i) => `r${i + 1}`)];
      await ipBatch(client.ns, [
        ...links.map((link) => `link set ${link} down`),
        `addr del ${client.address}/24 dev lan0`,
      ]);
      await sleep(1000);
      await ipBatch(client.ns, [
        `addr add ${next}/24 dev lan0`,
        ...links.map((link) => `link set ${link} up`),
        `route replace default via ${via}`,
      ]);
      const upAt = Date.now();
      const restore = () =>
        ipBatch(client.ns, [
          `addr add ${client.address}/24 dev lan0`,
          `addr del ${next}/24 dev lan0`,
          `route replace default via ${via}`,
        ]);
      return { restore, upAt };
    },
  },
  route: {
    summary: 'default route moved to a second router',
    async apply(client) {
      await ipBatch(client.ns, [`route replace default via ${client.routers[1].lanAddress}`]);
      const restore = () => ipBatch(client.ns, [`route replace default via ${client.routers[0].lanAddress}`]);
      return { restore };
    },
  },
};

/**
 * Presented-frame times -> whether the change interrupted the video, when it stopped (the last frame before the first
 * pause), and when it resumed for good (the first frame after the last pause, if frames kept coming for FLOWING_MS
 * and are still coming at `now`). Times are absolute; undefined where it has not happened.
 */
export function frameRecovery(times, changeAt, now) {
  const series = [times.filter((t) => t < changeAt).at(-1) ?? changeAt, ...times.filter((t) => t >= changeAt), now];
  const gaps = [];
  for (let i = 1; i < series.length; i += 1) if (series[i] - series[i - 1] > GAP_MS) gaps.push(i);
  if (!gaps.length) return { interrupted: false };
  const stoppedAt = series[gaps[0] - 1];
  const last = gaps.at(-1);
  // The last pause runs until `now`: frames have not come back (yet).
  if (last === series.length - 1) return { interrupted: true, stoppedAt };
  const resumedAt = series[last];
  const flowing = series.at(-2) - resumedAt >= FLOWING_MS;
  return { interrupted: true, stoppedAt, resumedAt: flowing ? resumedAt : undefined };
}

/** The call the network changes and the loss and rate limits run on: roam (the side whose network changes) and home. */
export const ROAM_AND_HOME = [
  { client: 'roam', kind: 'chromium' },
  { client: 'home', kind: 'chromium' },
];

/** Runs one change; returns the measurements and both sides' timelines (times relative to the change). */
export async function runNetworkChange(lab, changeName, { observeMs = DEFAULT_OBSERVE_MS, log }) {
  const change = CHANGES[changeName];
  const roam = lab.client('roam');
  const call = await runCall(lab, ROAM_AND_HOME, { ice: 'turn', relay: 'allow', timeoutMs: 15_000, keepOpen: true });
  const pages = call.pages;
  let applied;
  try {
    if (!call.connected) return { change: changeName, error: 'the call did not connect before the change', call };
    // Each page is its browser's only (front) tab: it presents frames. Let video flow before the change.
    await Promise.all(pages.map((page) => page.page.evaluate(() => window.lab.sampleDecoded(true))));
    await sleep(1500);
    const changeAt = Date.now();
    applied = await change.apply(roam);
    const origin = applied.upAt ?? changeAt;
    log(`${changeName}: applied in ${Date.now() - changeAt} ms at ${new Date(changeAt).toISOString()}`);
    const deadline = origin + observeMs;
    let measured;
    while (Date.now() < deadline) {
      await sleep(250);
      measured = await measure(pages, changeAt, origin);
      if (observeMs === DEFAULT_OBSERVE_MS && measured.recovered && Date.now() - origin >= MIN_OBSERVE_MS) break;
    }
    const timelines = await Promise.all(
      pages.map((page) =>
        page.page
          .evaluate(() => window.lab.timeline)
          .then((events) =>
            events.filter((e) => e.at >= changeAt - 1000).map(({ at, ...e }) => ({ t: at - changeAt, ...e })),
          ),
      ),
    );
    const outageMs = applied.upAt ? applied.upAt - changeAt : undefined;
    return {
      change: changeName,
      summary: change.summary,
      changeAt,
      outageMs,
      observedMs: Date.now() - changeAt,
      ...measured,
      timelines,
    };
  } finally {
    await Promise.all(pages.map(closePage));
    await applied?.restore();
  }
}

/** Both sides' recovery, times from `origin` (the change, or the end of its outage); states from the change. */
async function measure(pages, changeAt, origin) {
  const now = Date.now();
  // Only what happened from a second before the change: the whole record, read four times a second from both pages,
  // would take the pages' time from the recovery it measures.
  const since = changeAt - 1000;
  const records = await Promise.all(
    pages.map((page) =>
      page.page.evaluate((from) => {
        const { states, reconnecting, recovered, errors, frames } = window.lab.record;
        const after = (list) => list.filter((e) => e.at >= from);
        return {
          states: [...states.filter((e) => e.at < from).slice(-1), ...after(states)],
          reconnecting: after(reconnecting),
          recovered: after(recovered),
          errors: after(errors),
          frames: { times: frames.times.filter((t) => t >= from) },
          player: {
            times: window.lab.record.player.times.filter((t) => t >= from),
            states: window.lab.record.player.states.filter((e) => e.at >= from),
          },
        };
      }, since),
    ),
  );
  const samples = await Promise.all(pages.map((page) => page.page.evaluate((from) => window.lab.decoded(from), since)));
  const timelines = await Promise.all(
    pages.map((page) =>
      page.page.evaluate((from) => window.lab.timeline.filter((e) => e.at >= from && /^ws-/.test(e.what)), since),
    ),
  );
  const sides = records.map((record, i) => {
    const frames = frameRecovery(record.frames.times, origin, now);
    const decoded = frameRecovery(decodedTimes(samples[i]), origin, now);
    const counted = frameRecovery(record.player.times, origin, now);
    const statesAfter = record.states.filter((s) => s.at >= changeAt);
    const left = statesAfter.find((s) => s.state !== 'connected');
    const back = left ? statesAfter.find((s) => s.at >= left.at && s.state === 'connected') : undefined;
    const state = record.states.at(-1)?.state;
    const sockets = timelines[i].filter((e) => e.at >= changeAt && /^ws-/.test(e.what));
    const reopened = sockets.find((e) => e.what === 'ws-open');
    return {
      framesBackMs: frames.interrupted ? (frames.resumedAt ? frames.resumedAt - origin : undefined) : 0,
      framesStoppedMs: frames.stoppedAt !== undefined ? frames.stoppedAt - origin : undefined,
      decodedBackMs: decoded.interrupted ? (decoded.resumedAt ? decoded.resumedAt - origin : undefined) : 0,
      // The player's own count of frames it was given to show: what the element's link watch reads.
      countedBackMs: counted.interrupted ? (counted.resumedAt ? counted.resumedAt - origin : undefined) : 0,
      player: record.player.states.map(({ at, ...state }) => ({ afterMs: at - origin, ...state })),
      leftConnected: left ? { state: left.state, afterMs: left.at - origin } : undefined,
      connectedBackMs: left ? (back ? back.at - origin : undefined) : 0,
      state,
      reconnecting: record.reconnecting
        .filter((r) => r.at >= changeAt)
        .map((r) => ({ reason: r.reason, afterMs: r.at - origin })),
      recovered: record.recovered.filter((r) => r.at >= changeAt).map((r) => ({ ...r, afterMs: r.at - origin })),
      errors: record.errors.filter((e) => e.at >= changeAt).map((e) => ({ code: e.code, afterMs: e.at - origin })),
      socketClosedMs: sockets.find((e) => e.what === 'ws-close')?.at - origin || undefined,
      socketReopenedMs: reopened ? reopened.at - origin : undefined,
      newConnection: firstMedia(samples[i], origin),
      // The video samples of the connection in use at the end (every 200 ms; --json): where a late frame waits.
      videoSamples: videoSamples(samples[i], origin),
    };
  });
  const recoveredIn = sides.map((s) =>
    s.framesBackMs !== undefined && s.connectedBackMs !== undefined && s.state === 'connected'
      ? Math.max(s.framesBackMs, s.connectedBackMs)
      : undefined,
  );
  const recovered = recoveredIn.every((ms) => ms !== undefined);
  return { sides, recovered, recoveryMs: recovered ? Math.max(...recoveredIn) : undefined };
}

/** getStats samples [time, framesDecoded, pc] -> the times at which the decoder's count moved. */
function decodedTimes(samples) {
  const times = [];
  for (let i = 1; i < samples.length; i += 1) {
    const [at, count, pc] = samples[i];
    const [, before, previousPc] = samples[i - 1];
    if (count > (pc === previousPc ? before : 0)) times.push(at);
  }
  return times;
}

/**
 * On the connection that carries the video at the end, when (ms after the change) the first packet, the first
 * assembled frame and the first decoded frame were seen, and how many PLIs it had sent by the first decoded frame;
 * and when this side's own video sender encoded its first frame and sent its first packet there: where a first
 * frame that comes long after `connected` waited.
 */
function firstMedia(samples, origin) {
  const last = samples.at(-1);
  if (!last?.[3]) return undefined;
  const rows = samples.filter(([, , pc]) => pc === last[2]);
  const first = (test) => {
    const row = rows.find(test);
    return row ? row[0] - origin : undefined;
  };
  const decodedRow = rows.find(([, count]) => count > 0);
  return {
    pc: last[2],
    firstPacketMs: first(([, , , d]) => d.packets > 0),
    firstFrameReceivedMs: first(([, , , d]) => d.received > 0),
    firstDecodedMs: decodedRow ? decodedRow[0] - origin : undefined,
    plisByFirstDecoded: decodedRow?.[3].pli,
    nacksByFirstDecoded: decodedRow?.[3].nack,
    // This side's own sending on that connection: the other side's first packet waits for these.
    firstEncodedMs: first(([, , , d]) => d.encoded > 0),
    firstSentMs: first(([, , , d]) => d.sent > 0),
  };
}

/** [ms after the change, frames decoded, packets in, frames assembled, PLIs sent, frames encoded, packets sent]. */
function videoSamples(samples, origin) {
  const pc = samples.at(-1)?.[2];
  return samples
    .filter(([, , id]) => id === pc)
    .map(([at, decodedCount, , d]) => [at - origin, decodedCount, d.packets, d.received, d.pli, d.encoded, d.sent]);
}

/** The later of both sides' frames and `connected` back (undefined when a side never recovered). */
export function recoveryMs(result) {
  const times = (result.sides ?? []).flatMap((side) => [side.framesBackMs, side.connectedBackMs]);
  return times.length && times.every((ms) => ms !== undefined) ? Math.max(...times) : undefined;
}

/** The checks: frames and `connected` back on both sides within RECOVERY_LIMIT_MS. */
export function judgeChange(result) {
  if (result.error) return [{ check: 'ran', detail: result.error }];
  const failed = [];
  for (const [i, side] of result.sides.entries()) {
    const name = i === 0 ? 'roam' : 'home';
    if (side.framesBackMs === undefined || side.framesBackMs > RECOVERY_LIMIT_MS) {
      failed.push({
        check: 'recovers',
        detail: `${name}: frames not back within ${RECOVERY_LIMIT_MS / 1000} s (state ${side.state}${side.errors.length ? `, ${side.errors.map((e) => e.code)}` : ''})`,
      });
    } else if (side.connectedBackMs === undefined || side.connectedBackMs > RECOVERY_LIMIT_MS) {
      failed.push({
        check: 'recovers',
        detail: `${name}: not connected again within ${RECOVERY_LIMIT_MS / 1000} s (state ${side.state})`,
      });
    }
  }
  return failed;
}
