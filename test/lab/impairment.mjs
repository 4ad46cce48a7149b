// Loss and rate limits: `roam` calls `home` (two EIM NATs, a direct path); once media flows, roam's router starts
// dropping packets (nftables: a share at random, or everything over a policed rate, both directions), and for
// IMPAIRED_MS the lab samples getStats on both sides every second and keeps the element's own p2p-quality reports.
// It checks that the call survives (connected throughout, audio arriving every second, video still decoding) and
// reports the numbers; what the numbers should be is for the bench and the settings work, not for this test.
import { setTimeout as sleep } from 'node:timers/promises';
import { runCall } from './lib/call.mjs';
import { closePage } from './lib/pages.mjs';
import { impairmentRules } from './lib/profiles.mjs';
import { nft, run } from './lib/shell.mjs';
import { ROAM_AND_HOME } from './network-change.mjs';

export const IMPAIRMENTS = {
  'loss-5': { summary: '5 % random loss, both directions', rules: { lossPercent: 5 } },
  'rate-500k': { summary: '500 kbit/s policed, both directions', rules: { rateKbit: 500 } },
};

const IMPAIRED_MS = Number(process.env.LAB_IMPAIRED_S ?? 15) * 1000;
const SAMPLE_MS = 1000;
/** Longest stretch without a decoded frame that still counts as video "adapting" rather than frozen. */
const MAX_VIDEO_STALL_MS = 3000;

export async function runImpairment(lab, name) {
  const impairment = IMPAIRMENTS[name];
  const router = lab.client('roam').routers[0].ns;
  const call = await runCall(lab, ROAM_AND_HOME, { ice: 'turn', relay: 'allow', timeoutMs: 15_000, keepOpen: true });
  const pages = call.pages;
  let impaired = false;
  try {
    if (!call.connected) return { impairment: name, error: 'the call did not connect', call };
    await sleep(2000); // a baseline before the impairment starts
    const baseline = await Promise.all(pages.map((page) => page.page.evaluate(() => window.lab.stats())));
    const startedAt = Date.now();
    await nft(router, impairmentRules(impairment.rules));
    impaired = true;
    const samples = [];
    while (Date.now() - startedAt < IMPAIRED_MS) {
      await sleep(SAMPLE_MS);
      samples.push(await Promise.all(pages.map((page) => page.page.evaluate(() => window.lab.stats()))));
    }
    const counters = await run('ip', ['netns', 'exec', router, 'nft', 'list', 'table', 'inet', 'lab_impair']);
    const records = await Promise.all(pages.map((page) => page.page.evaluate(() => window.lab.record)));
    return {
      impairment: name,
      summary: impairment.summary,
      // Index 0: what roam receives (home -> roam), 1: what home receives (roam -> home).
      directions: [0, 1].map((i) =>
        summarise(
          baseline[i],
          samples.map((s) => s[i]),
          samples.map((s) => s[1 - i]),
          records[i],
          startedAt,
        ),
      ),
      dropped: droppedCounts(counters),
    };
  } finally {
    if (impaired)
      await run('ip', ['netns', 'exec', router, 'nft', 'delete', 'table', 'inet', 'lab_impair']).catch(() => {});
    await Promise.all(pages.map(closePage));
  }
}

/** Packets each rule dropped, from `nft list` counters: { up, down } (up = roam towards the internet). */
function droppedCounts(listing) {
  const count = (iif) =>
    [...listing.matchAll(new RegExp(`iifname "${iif}".*counter packets (\\d+)`, 'g'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  return { up: count('lan'), down: count('wan') };
}

const delta = (later, earlier, key) => (later?.[key] ?? 0) - (earlier?.[key] ?? 0);

/**
 * One direction: the receiver's inbound audio and video over the impaired window, the sender's outbound video
 * (resolution, what limits it), and the receiver's p2p-quality events.
 */
function summarise(baseline, received, sent, record, startedAt) {
  const first = baseline;
  const last = received.at(-1);
  const audioLost = delta(last?.audioIn, first?.audioIn, 'packetsLost');
  const audioReceived = delta(last?.audioIn, first?.audioIn, 'packetsReceived');
  const concealed = delta(last?.audioIn, first?.audioIn, 'concealedSamples');
  const silentConcealed = delta(last?.audioIn, first?.audioIn, 'silentConcealedSamples');
  const samplesReceived = delta(last?.audioIn, first?.audioIn, 'totalSamplesReceived');
  let previous = first;
  let audioGaps = 0;
  let videoStallMs = 0;
  let longestVideoStallMs = 0;
  const perSecond = [];
  for (const sample of received) {
    const audio = delta(sample?.audioIn, previous?.audioIn, 'packetsReceived');
    const frames = delta(sample?.videoIn, previous?.videoIn, 'framesDecoded');
    if (audio <= 0) audioGaps += 1;
    videoStallMs = frames > 0 ? 0 : videoStallMs + SAMPLE_MS;
    longestVideoStallMs = Math.max(longestVideoStallMs, videoStallMs);
    perSecond.push({ frames, height: sample?.videoIn?.height, audio });
    previous = sample;
  }
  const heights = perSecond.map((s) => s.height).filter(Boolean);
  const fps = perSecond.map((s) => s.frames * (1000 / SAMPLE_MS));
  const limits = countBy(sent.map((s) => s?.videoOut?.qualityLimitationReason ?? 'none'));
  const quality = record.quality.filter((q) => q.at >= startedAt);
  return {
    audio: {
      lossPercent: percent(audioLost, audioLost + audioReceived),
      concealedPercent: percent(concealed, samplesReceived),
      silentConcealedPercent: percent(silentConcealed, samplesReceived),
      secondsWithoutAudio: audioGaps,
    },
    video: {
      heightStart: first?.videoIn?.height,
      heightMin: heights.length ? Math.min(...heights) : undefined,
      heightEnd: last?.videoIn?.height,
      fpsMedian: median(fps),
      fpsMin: fps.length ? Math.min(...fps) : undefined,
      freezes: delta(last?.videoIn, first?.videoIn, 'freezeCount'),
      freezeSeconds: round(delta(last?.videoIn, first?.videoIn, 'totalFreezesDuration'), 1),
      longestStallMs: longestVideoStallMs,
      packetLossPercent: percent(
        delta(last?.videoIn, first?.videoIn, 'packetsLost'),
        delta(last?.videoIn, first?.videoIn, 'packetsLost') + delta(last?.videoIn, first?.videoIn, 'packetsReceived'),
      ),
      nacks: delta(last?.videoIn, first?.videoIn, 'nackCount'),
      plis: delta(last?.videoIn, first?.videoIn, 'pliCount'),
      senderLimitedBy: limits,
      senderTargetKbps: round((sent.at(-1)?.videoOut?.targetBitrate ?? 0) / 1000, 0),
    },
    element: {
      samples: quality.length,
      levels: countBy(quality.map((q) => q.level)),
      lossMedianPercent: median(quality.map((q) => q.loss * 100)),
      rttMedianMs: median(quality.map((q) => q.rtt)),
    },
    states: record.states.filter((s) => s.at >= startedAt).map((s) => s.state),
  };
}

/** The checks: connected throughout, audio every second, video never stalled longer than MAX_VIDEO_STALL_MS. */
export function judgeImpairment(result) {
  if (result.error) return [{ check: 'ran', detail: result.error }];
  const failed = [];
  for (const [i, d] of result.directions.entries()) {
    const name = i === 0 ? 'home -> roam' : 'roam -> home';
    if (d.states.length) failed.push({ check: 'stays-connected', detail: `${name}: ${d.states.join(' > ')}` });
    if (d.audio.secondsWithoutAudio > 0) {
      failed.push({
        check: 'audio-flows',
        detail: `${name}: ${d.audio.secondsWithoutAudio} s without an audio packet`,
      });
    }
    if (d.video.longestStallMs > MAX_VIDEO_STALL_MS) {
      failed.push({
        check: 'video-adapts',
        detail: `${name}: no decoded frame for ${d.video.longestStallMs / 1000} s`,
      });
    }
  }
  return failed;
}

function countBy(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return undefined;
  return round(sorted[Math.floor(sorted.length / 2)], 1);
}

const percent = (part, whole) => (whole > 0 ? round((100 * part) / whole, 1) : undefined);
const round = (value, digits) => Math.round(value * 10 ** digits) / 10 ** digits;
