// 8. Audio mouth-to-ear latency and 9. calls over impaired networks. Both run the same in-page call (a picture and
// a voice in one stream, see bench/pages/bench.js avCall): metric 8 on loopback, element vs raw pair, over enough
// calls for the latency's median and p95; metric 9 through the impairment relay (bench/lib/impair-relay.mjs) and a
// real TURN server, one network profile after another, element vs raw pair vs the raw pair with tuned settings.
import { openBenchPage } from '../lib/browser.mjs';
import { startImpairRelay } from '../lib/impair-relay.mjs';
import { NETWORK_PROFILES, relayConfig } from '../lib/network-profiles.mjs';
import { summarize } from '../lib/stats.mjs';
import { tuningNamed } from '../pages/raw-tuning.js';
import { iceServersFor, startTurnServer } from '../lib/turn-server.mjs';

const order = (round, impls) => (round % 2 ? [...impls].reverse() : impls);
const sum = (values) => values.reduce((total, value) => total + (value ?? 0), 0);
const median = (values) => summarize(values.filter((value) => value !== undefined)).median;

async function call(page, args) {
  try {
    return await page.evaluate((a) => window.bench.avCall(a), args);
  } catch (error) {
    const log = page.benchLog.slice(-5).join(' | ');
    throw new Error(`${error.message.split('\n')[0]}${log ? ` [page: ${log}]` : ''}`, { cause: error });
  }
}

/** Everything one implementation showed over its calls under one profile. */
export function summarizeCalls(calls, durationMs) {
  const seconds = (durationMs / 1000) * calls.length;
  const rx = calls.map((c) => c.receiver);
  const tx = calls.map((c) => c.sender);
  const audioSamples = calls.flatMap((c) => c.audio.latencies);
  return {
    calls: calls.length,
    tuning: calls[0]?.tuning,
    audio: {
      ...summarize(audioSamples),
      callMedians: calls.map((c) => summarize(c.audio.latencies).median),
      sent: sum(calls.map((c) => c.audio.sent)),
      missed: sum(calls.map((c) => c.audio.missed)),
      unmatched: sum(calls.map((c) => c.audio.unmatched)),
      concealedPercent: median(rx.map((r) => r.audio?.concealedRatio)) * 100,
      concealmentEventsPerMinute: (sum(rx.map((r) => r.audio?.concealmentEvents)) / seconds) * 60,
      jitterBufferMs: median(rx.map((r) => r.audio?.jitterBufferMs)),
      jitterBufferTargetMs: median(rx.map((r) => r.audio?.jitterBufferTargetMs)),
      lossPercent: median(rx.map((r) => r.audio?.lossRate)) * 100,
      fecPackets: sum(rx.map((r) => r.audio?.fecPackets)),
      kbps: median(rx.map((r) => r.audio?.kbps)),
      packetsPerSecond: median(rx.map((r) => r.audio?.packetsPerSecond)),
      playoutDelayMs: median(rx.map((r) => r.audio?.playoutDelayMs)),
    },
    video: {
      ...summarize(calls.flatMap((c) => c.video.samples)),
      presentedFps: sum(calls.map((c) => c.video.frames)) / seconds,
      decodedFps: median(rx.map((r) => r.video?.framesPerSecond)),
      freezes: sum(rx.map((r) => r.video?.freezeCount)),
      freezeSeconds: sum(rx.map((r) => r.video?.freezeSeconds)),
      freezesPerMinute: (sum(rx.map((r) => r.video?.freezeCount)) / seconds) * 60,
      frozenPercent: (sum(rx.map((r) => r.video?.freezeSeconds)) / seconds) * 100,
      height: median(calls.flatMap((c) => c.video.heights)),
      qp: median(rx.map((r) => r.video?.qp)),
      kbps: median(rx.map((r) => r.video?.kbps)),
      lossPercent: median(rx.map((r) => r.video?.lossRate)) * 100,
      jitterBufferMs: median(rx.map((r) => r.video?.jitterBufferMs)),
      undecodable: sum(calls.map((c) => c.video.undecodable)),
      keyFrames: sum(rx.map((r) => r.video?.keyFrames)),
      sentKbps: median(tx.map((t) => t.video?.kbps)),
      targetKbps: median(tx.map((t) => t.video?.targetKbps)),
      bandwidthLimitedPercent: median(tx.map((t) => t.video?.limitedBy?.bandwidth ?? 0)) * 100,
      cpuLimitedPercent: median(tx.map((t) => t.video?.limitedBy?.cpu ?? 0)) * 100,
    },
    network: {
      route: rx[0]?.route,
      // ICE's mean over each whole call (its checks crossed the same paths), and RTCP's over the window.
      rttMs: median(rx.map((r) => r.callRttMs)),
      rtcpRttMs: median(tx.map((t) => t.audio?.rtcpRttMs ?? t.video?.rtcpRttMs)),
      jitterMs: median(rx.map((r) => r.audio?.jitterMs)),
      relay: calls[0]?.relay ? relaySummary(calls.map((c) => c.relay)) : undefined,
    },
    firstFrameMs: median(calls.map((c) => c.firstFrameMs)),
  };
}

/** What the relay itself counted on each side's upstream (the impaired direction), over the calls. */
function relaySummary(stats) {
  const up = stats.flatMap((s) => [s.a.up, s.b.up]).filter((lane) => lane.packets);
  const packets = sum(up.map((lane) => lane.packets));
  return {
    packets,
    lossPercent: (sum(up.map((lane) => lane.lost)) / packets) * 100,
    queueDropPercent: (sum(up.map((lane) => lane.queueDropped)) / packets) * 100,
    meanDelayMs: sum(up.map((lane) => lane.meanDelayMs * lane.packets)) / packets,
    // How late the relay's timers sent packets against their scheduled time (on top of meanDelayMs).
    lateMs: sum(up.map((lane) => lane.lateMs * lane.packets)) / packets,
    maxLateMs: Math.max(...up.map((lane) => lane.maxLateMs)),
  };
}

/** 8. Mouth-to-ear: element vs raw pair on loopback, A/B alternating per call, after one discarded call each. */
export async function measureAudio(ctx) {
  const { calls, warmupMs, durationMs, periodMs, warmupCalls = 1, floorMs = 1000 } = ctx.profile.audio;
  const runs = { element: [], raw: [] };
  const page = await openBenchPage(ctx.browser, ctx.origin);
  let floor;
  try {
    // The first call in a fresh page starts its audio slower (its median ran ~2x the others): not a sample.
    for (const impl of warmupCalls ? ['element', 'raw'] : []) {
      ctx.log(`  audio warm-up: ${impl}`);
      await call(page, { impl, warmupMs: 0, durationMs: 300, periodMs });
    }
    floor = await page.evaluate((args) => window.bench.audioFloor(args), { durationMs: floorMs, periodMs });
    for (let round = 0; round < calls; round++) {
      for (const impl of order(round, ['element', 'raw'])) {
        ctx.log(`  audio call ${round + 1}/${calls}: ${impl}`);
        runs[impl].push(await call(page, { impl, warmupMs, durationMs, periodMs }));
      }
    }
  } finally {
    await page.close();
  }
  const summaries = { element: summarizeCalls(runs.element, durationMs), raw: summarizeCalls(runs.raw, durationMs) };
  for (const [impl, summary] of Object.entries(summaries)) {
    if (!summary.audio.n) throw new Error(`no audio burst was detected for ${impl}`);
  }
  const { element, raw } = summaries;
  const ratio = element.audio.median / raw.audio.median;
  return {
    unit: 'ms',
    better: 'lower',
    statistic: 'median',
    element: element.audio,
    raw: raw.audio,
    ratio,
    p95Ratio: element.audio.p95 / raw.audio.p95,
    target: { op: '<=', value: 1.05 },
    pass: ratio <= 1.05,
    // The burst track straight into the detector, no call: what the measurement itself adds to every sample.
    floorMs: summarize(floor.latencies).median,
    // Everything else these calls showed (video, network, first frame): the good profile of metric 9.
    calls: summaries,
    periodMs,
    warmupMs,
    durationMs,
  };
}

/**
 * 9. Impaired networks: each profile through the relay, element vs raw vs raw-tuned. The good profile's element and
 * raw calls are metric 8's when it ran (the same call on loopback), so only raw-tuned is added for it.
 */
export async function measureNetwork(ctx, audio) {
  const { profiles, impls, calls, warmupMs, durationMs, periodMs, tunings = [] } = ctx.profile.network;
  for (const name of tunings) tuningNamed(name); // an unknown name fails here, before any call
  const variants = [
    ...impls.map((impl) => ({ impl, key: impl })),
    ...tunings.map((tuning) => ({ impl: 'raw-tuned', tuning, key: `raw+${tuning}` })),
  ];
  const results = {};
  const turn = profiles.some((name) => NETWORK_PROFILES[name]?.relayed) ? await startTurnServer() : undefined;
  const relay = turn ? await startImpairRelay({ target: { address: '127.0.0.1', port: turn.port } }) : undefined;
  const page = await openBenchPage(ctx.browser, ctx.origin);
  try {
    for (const name of profiles) {
      const profile = NETWORK_PROFILES[name];
      if (!profile)
        throw new Error(`unknown network profile "${name}" (known: ${Object.keys(NETWORK_PROFILES).join(', ')})`);
      const runs = Object.fromEntries(variants.map((variant) => [variant.key, []]));
      const reuse =
        !profile.relayed && audio && !audio.error && audio.durationMs === durationMs && audio.warmupMs === warmupMs;
      const todo = reuse ? variants.filter((variant) => !['element', 'raw'].includes(variant.key)) : variants;
      for (let round = 0; round < calls; round++) {
        for (const variant of order(round, todo)) {
          ctx.log(`  network ${name} call ${round + 1}/${calls}: ${variant.key}`);
          const ice = profile.relayed
            ? Object.fromEntries(
                ['a', 'b'].map((side) => [side, { iceServers: iceServersFor(side, relay.ports[side]), relay: 'only' }]),
              )
            : {};
          // Every variant of a round meets the same draws of loss and jitter; the next round, other draws.
          if (relay) relay.configure(profile.relayed ? relayConfig(profile) : {}, { seed: round + 1 });
          const result = await call(page, {
            impl: variant.impl,
            tuning: variant.tuning,
            ice,
            warmupMs,
            durationMs,
            periodMs,
          });
          if (profile.relayed) result.relay = relay.stats();
          runs[variant.key].push(result);
        }
      }
      results[name] = { label: profile.label, path: profile.path };
      for (const variant of variants) {
        results[name][variant.key] =
          reuse && ['element', 'raw'].includes(variant.key)
            ? { ...audio.calls[variant.key], from: 'audio' }
            : summarizeCalls(runs[variant.key], durationMs);
      }
    }
  } finally {
    await page.close();
    await relay?.close();
    await turn?.close();
  }
  return { profiles: results, variants: variants.map((variant) => variant.key), calls, warmupMs, durationMs };
}
