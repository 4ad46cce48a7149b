// The browser metrics (1-4 and 7): each runs the element and its raw baseline in the same page (or in fresh pages of
// the same browser), alternating which goes first every round, and summarizes both the same way.
import { openBenchPage, performanceMetrics } from '../lib/browser.mjs';
import { summarize } from '../lib/stats.mjs';

const MIB = 1024 * 1024;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A/B order for a round: alternate which implementation goes first, so neither always runs on a warmer page. */
const order = (round, impls) => (round % 2 ? [...impls].reverse() : impls);

async function inPage(page, fn, args) {
  try {
    return await page.evaluate(fn, args);
  } catch (error) {
    const log = page.benchLog.slice(-5).join(' | ');
    throw new Error(`${error.message.split('\n')[0]}${log ? ` [page: ${log}]` : ''}`, { cause: error });
  }
}

/** Element vs baseline on one statistic of their samples (the median unless a metric says why not). */
function comparison({ element, raw, better, target, unit, statistic = 'median' }) {
  const ratio = element[statistic] !== undefined && raw[statistic] ? element[statistic] / raw[statistic] : undefined;
  const pass =
    ratio === undefined || !target ? undefined : target.op === '<=' ? ratio <= target.value : ratio >= target.value;
  return { unit, better, element, raw, ratio, statistic, target, pass };
}

export async function features(ctx) {
  const page = await openBenchPage(ctx.browser, ctx.origin);
  try {
    return await page.evaluate(() => window.bench.featureCheck());
  } finally {
    await page.close();
  }
}

/** 1. Glass-to-glass latency: pooled per-frame samples of all rounds, after one short discarded warm-up call each. */
export async function measureLatency(ctx) {
  const { rounds, warmupMs, durationMs, warmupRounds } = ctx.profile.latency;
  const page = await openBenchPage(ctx.browser, ctx.origin);
  const runs = { element: [], raw: [] };
  try {
    // The first call in a fresh page runs noticeably slower (codec and renderer start-up): not a sample.
    for (const impl of warmupRounds ? ['element', 'raw'] : []) {
      ctx.log(`  latency warm-up: ${impl}`);
      await inPage(page, (args) => window.bench.latency(args), { impl, warmupMs: 0, durationMs: 300 });
    }
    for (let round = 0; round < rounds; round++) {
      for (const impl of order(round, ['element', 'raw'])) {
        ctx.log(`  latency round ${round + 1}/${rounds}: ${impl}`);
        runs[impl].push(await inPage(page, (args) => window.bench.latency(args), { impl, warmupMs, durationMs }));
      }
    }
  } finally {
    await page.close();
  }
  const side = (impl) => ({
    ...summarize(runs[impl].flatMap((run) => run.samples)),
    roundMedians: runs[impl].map((run) => summarize(run.samples).median),
    framesPerSecond: summarize(runs[impl].map((run) => run.frames / (durationMs / 1000))).median,
    undecodableFrames: runs[impl].reduce((sum, run) => sum + run.undecodable, 0),
    toExpectedDisplay: summarize(runs[impl].flatMap((run) => run.displaySamples)),
    toDecoded: summarize(runs[impl].flatMap((run) => run.decodedSamples ?? [])),
    // Calls whose frames were mostly shown a refresh later (median above 1.5 refreshes): see `statistic` below.
    callsAtTwoRefreshes: runs[impl].filter((run) => summarize(run.samples).median > 25).length,
    calls: runs[impl].length,
  });
  for (const impl of ['element', 'raw']) {
    if (!runs[impl].some((run) => run.samples.length)) throw new Error(`no decodable frames for ${impl}`);
  }
  return comparison({
    element: side('element'),
    raw: side('raw'),
    better: 'lower',
    unit: 'ms',
    target: { op: '<=', value: 1.05 },
    // A frame is shown only at a display refresh (every 16.7 ms here), and each call settles on a phase against the
    // refresh: on both sides, ~9 calls in 10 show their frames one refresh after painting, the rest two (their
    // medians are ~16 ms or ~32 ms, nothing between). The mean of all frames therefore follows how many calls drew
    // the slow phase, a coin flip per call: over 24 calls the ratio of means moved 1.00 -> 1.09 between two runs of
    // the same code (2 vs 2, then 4 vs 2 slow calls). The median of all frames is the typical frame and stays put
    // (1.00, 1.01); so the ratio is taken of medians, and the means, the slow-call counts and the painted -> decoded
    // times (from the frames' metadata, not rounded to refreshes) are reported beside it.
    statistic: 'median',
  });
}

/** 2. Time to connected (and to the first remote frame), over BroadcastChannel and over the ws server. */
export async function measureConnect(ctx) {
  const { rounds, warmupRounds } = ctx.profile.connect;
  const page = await openBenchPage(ctx.browser, ctx.origin);
  const impls = ['element-broadcast', 'raw', 'element-ws'];
  const runs = Object.fromEntries(impls.map((impl) => [impl, []]));
  try {
    for (let round = -warmupRounds; round < rounds; round++) {
      for (const impl of order(round + warmupRounds, impls)) {
        const label = round < 0 ? 'warm-up' : `round ${round + 1}/${rounds}`;
        ctx.log(`  connect ${label}: ${impl}`);
        const args = {
          impl: impl === 'raw' ? 'raw' : 'element',
          signaling: impl === 'element-ws' ? ctx.wsUrl : 'broadcast',
        };
        const result = await inPage(page, (a) => window.bench.connect(a), args);
        if (round >= 0) runs[impl].push(result);
      }
    }
  } finally {
    await page.close();
  }
  const side = (impl, key) => ({
    ...summarize(runs[impl].map((run) => run[key])),
    rounds: runs[impl].map((run) => run[key]),
  });
  const target = { op: '<=', value: 1.5 };
  const phase = (impl, key) =>
    summarize(runs[impl].map((run) => run[key]).filter((value) => value !== undefined)).median;
  const phases = (impl) => ({
    inRoomMs: phase(impl, 'inRoomMs'),
    peerFoundMs: phase(impl, 'peerFoundMs'),
    fromJoinMs: phase(impl, 'fromJoinMs'),
  });
  return {
    elementPhases: { broadcast: phases('element-broadcast'), websocket: phases('element-ws') },
    broadcast: comparison({
      element: side('element-broadcast', 'connectedMs'),
      raw: side('raw', 'connectedMs'),
      better: 'lower',
      unit: 'ms',
      target,
    }),
    websocket: comparison({
      element: side('element-ws', 'connectedMs'),
      raw: side('raw', 'connectedMs'),
      better: 'lower',
      unit: 'ms',
      target,
    }),
    // Issue 15: the first remote frame within 5 % of the raw pair's.
    firstFrameBroadcast: comparison({
      element: side('element-broadcast', 'firstFrameMs'),
      raw: side('raw', 'firstFrameMs'),
      better: 'lower',
      unit: 'ms',
      target: { op: '<=', value: 1.05 },
    }),
    firstFrameWebsocket: comparison({
      element: side('element-ws', 'firstFrameMs'),
      raw: side('raw', 'firstFrameMs'),
      better: 'lower',
      unit: 'ms',
      target: { op: '<=', value: 1.05 },
    }),
  };
}

/**
 * Samples the page's JS heap over CDP while `work` runs: V8's used heap plus ArrayBuffer backing stores (chunks in
 * flight live there, outside `JSHeapUsedSize`). Blob contents live in the browser's blob storage and do not count.
 */
async function withHeapSampling(page, work) {
  const client = await page.createCDPSession();
  const heap = async () => {
    const usage = await client.send('Runtime.getHeapUsage');
    return usage.usedSize + (usage.backingStorageSize ?? 0);
  };
  await client.send('HeapProfiler.enable');
  await client.send('HeapProfiler.collectGarbage');
  const before = await heap();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        peak = Math.max(peak, await heap());
      } catch {
        return;
      }
      await sleep(100);
    }
  })();
  try {
    const result = await work();
    return { result, heapBefore: before, heapPeak: peak };
  } finally {
    sampling = false;
    await sampler;
    await client.detach().catch(() => {});
  }
}

/** 3. File throughput (MiB/s per round) and the peak JS heap of the page (both peers live in it). */
export async function measureFile(ctx, available) {
  if (!available) return { available: false, reason: 'element.sendFile() is not in this build' };
  const { rounds, bytes, warmupRounds = 0, warmupBytes = bytes, timeoutMs } = ctx.profile.file;
  const runs = { element: [], raw: [] };
  // Warm-up rounds (a smaller file, not counted): the browser's first transfer of each kind pays for compiling its
  // code paths, which otherwise lands on whichever side happens to go first.
  for (let round = -warmupRounds; round < rounds; round++) {
    const size = round < 0 ? warmupBytes : bytes;
    for (const impl of order(round + warmupRounds, ['element', 'raw'])) {
      const label = round < 0 ? 'warm-up' : `round ${round + 1}/${rounds}`;
      ctx.log(`  file ${label}: ${impl} (${size / MIB} MiB)`);
      const page = await openBenchPage(ctx.browser, ctx.origin);
      try {
        const { result, heapBefore, heapPeak } = await withHeapSampling(page, () =>
          inPage(page, (args) => window.bench.fileTransfer(args), { impl, bytes: size, timeoutMs }),
        );
        if (result.unavailable) return { available: false, reason: result.unavailable };
        if (round < 0) continue;
        runs[impl].push({ ...result, mibPerSecond: bytes / MIB / (result.ms / 1000), heapBefore, heapPeak });
      } finally {
        await page.close();
      }
    }
  }
  const side = (impl) => ({
    ...summarize(runs[impl].map((run) => run.mibPerSecond)),
    rounds: runs[impl].map((run) => run.mibPerSecond),
    peakHeapMiB: Math.max(...runs[impl].map((run) => run.heapPeak)) / MIB,
    peakHeapGrowthMiB: Math.max(...runs[impl].map((run) => run.heapPeak - run.heapBefore)) / MIB,
    sendResolvedMs: summarize(runs[impl].map((run) => run.sendResolvedMs)).median,
    receivedMs: summarize(runs[impl].map((run) => run.receivedMs)).median,
  });
  return {
    available: true,
    bytes,
    ...comparison({
      element: side('element'),
      raw: side('raw'),
      better: 'higher',
      unit: 'MiB/s',
      target: { op: '>=', value: 0.95 },
    }),
  };
}

/** 4. App-data echo round trip: pooled samples of all rounds. */
export async function measureEcho(ctx, available) {
  if (!available) return { available: false, reason: 'element.send() is not in this build' };
  const { rounds, count, warmup } = ctx.profile.echo;
  const page = await openBenchPage(ctx.browser, ctx.origin);
  const runs = { element: [], raw: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const impl of order(round, ['element', 'raw'])) {
        ctx.log(`  echo round ${round + 1}/${rounds}: ${impl} (${count} messages)`);
        const result = await inPage(page, (args) => window.bench.echo(args), { impl, count, warmup });
        if (result.unavailable) return { available: false, reason: result.unavailable };
        runs[impl].push(result);
      }
    }
  } finally {
    await page.close();
  }
  const side = (impl) => ({
    ...summarize(runs[impl].flatMap((run) => run.samples)),
    roundMedians: runs[impl].map((run) => summarize(run.samples).median),
    litUpdatesPerRoundTrip: summarize(runs[impl].map((run) => run.litUpdatesPerRoundTrip)).median,
  });
  return {
    available: true,
    payloadBytes: 64,
    ...comparison({
      element: side('element'),
      raw: side('raw'),
      better: 'lower',
      unit: 'ms',
      target: { op: '<=', value: 1.2 },
    }),
  };
}

/**
 * 7. Render cost: main-thread busy time (CDP TaskDuration) per second of a running, connected call. A fresh page per
 * round. Baselines: the raw pair with two remote videos, and with the same four video tiles the element shows
 * (two remote, two local previews).
 */
export async function measureRender(ctx) {
  const { rounds, durationMs, settleMs, impls } = ctx.profile.render;
  const runs = Object.fromEntries(impls.map((impl) => [impl, []]));
  for (let round = 0; round < rounds; round++) {
    for (const impl of order(round, impls)) {
      ctx.log(`  render round ${round + 1}/${rounds}: ${impl} (${durationMs / 1000} s)`);
      const page = await openBenchPage(ctx.browser, ctx.origin);
      const client = await page.createCDPSession();
      try {
        await client.send('Performance.enable', { timeDomain: 'timeTicks' });
        await inPage(page, (args) => window.bench.startCall(args), { impl });
        await sleep(settleMs);
        const updates0 = await page.evaluate(() => window.bench.litUpdateCount());
        const m0 = await performanceMetrics(client);
        await sleep(durationMs);
        const m1 = await performanceMetrics(client);
        const updates = (await page.evaluate(() => window.bench.litUpdateCount())) - updates0;
        const seconds = m1.Timestamp - m0.Timestamp;
        const perSecond = (key) => ((m1[key] - m0[key]) / seconds) * 1000; // ms of main thread per second
        runs[impl].push({
          busyMsPerSecond: perSecond('TaskDuration'),
          scriptMsPerSecond: perSecond('ScriptDuration'),
          layoutMsPerSecond: perSecond('LayoutDuration'),
          styleMsPerSecond: perSecond('RecalcStyleDuration'),
          litUpdatesPerSecond: updates / seconds,
        });
        await page.evaluate(() => window.bench.stopCall());
      } finally {
        await client.detach().catch(() => {});
        await page.close();
      }
    }
  }
  const side = (impl) => {
    const median = (key) => summarize(runs[impl].map((run) => run[key])).median;
    return {
      ...summarize(runs[impl].map((run) => run.busyMsPerSecond)),
      rounds: runs[impl].map((run) => run.busyMsPerSecond),
      scriptMsPerSecond: median('scriptMsPerSecond'),
      layoutMsPerSecond: median('layoutMsPerSecond'),
      styleMsPerSecond: median('styleMsPerSecond'),
      litUpdatesPerSecond: impl === 'element' ? median('litUpdatesPerSecond') : undefined,
    };
  };
  const result = { durationMs };
  result.sameTiles = comparison({
    element: side('element'),
    raw: side('raw-tiles'),
    better: 'lower',
    unit: 'ms/s',
    target: { op: '<=', value: 1.2 },
  });
  if (runs.raw)
    result.twoVideos = comparison({ element: side('element'), raw: side('raw'), better: 'lower', unit: 'ms/s' });
  return result;
}
