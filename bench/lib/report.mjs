// Turns latest.json into the Markdown that is printed, written to bench/results/latest.md and pasted into README.
import { audioNote, audioRow, networkNote, networkSection } from './report-av.mjs';

const fmt = (value, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value) ? '—' : value.toFixed(digits);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

function status(comparison) {
  if (comparison.pass === undefined) return '';
  return comparison.pass ? 'met' : '**missed**';
}

function targetText(target) {
  if (!target) return '—';
  return `${target.op === '<=' ? '≤' : '≥'} ${target.value}`;
}

/** One row of the main table from an element-vs-baseline comparison. */
function row(name, comparison, { digits = 1, p95 = true, mean = false } = {}) {
  const cell = (side) =>
    `${fmt(side.median, digits)}${p95 ? ` (${fmt(side.p95, digits)})` : ''}${mean ? `, mean ${fmt(side.mean, digits)}` : ''} ${comparison.unit}`;
  return `| ${name} | ${cell(comparison.element)} | ${cell(comparison.raw)} | ${fmt(comparison.ratio, 2)} | ${targetText(comparison.target)} | ${status(comparison)} |`;
}

/** Painted -> decoded, from the frames' metadata: the same calls, not rounded to display refreshes (informational). */
function decodedRow(latency) {
  const element = latency.element.toDecoded;
  const raw = latency.raw.toDecoded;
  if (!element?.n || !raw?.n) return [];
  const cell = (side) => `${fmt(side.median, 1)} (${fmt(side.p95, 1)}) ms`;
  return `| Video painted → decoded (same frames, not display-rounded) | ${cell(element)} | ${cell(raw)} | ${fmt(element.median / raw.median, 2)} | — | |`;
}

function unavailableRow(name, result) {
  return `| ${name} | not available | — | — | — | ${result?.reason ?? result?.error ?? ''} |`;
}

export function renderMarkdown(results) {
  const { metrics, machine } = results;
  const lines = [];
  const when = results.date.replace('T', ' ').replace(/\.\d+Z$/u, ' UTC');
  lines.push(
    `Measured ${when} on ${machine.cpuModel} (${machine.cores} cores, ${machine.memoryGiB} GiB), ${machine.os}, ` +
      `Node ${machine.node}, ${machine.browser}; commit ${results.commit}${results.dirty ? ' with uncommitted changes' : ''}` +
      `${results.mode === 'smoke' ? '; **smoke run: one short round, numbers not meaningful**' : ''}; ` +
      `the whole run took ${fmt(results.durationSeconds, 0)} s. Machine load average at start: ${machine.loadAverage}.`,
    '',
    'Every figure is p2p-call next to a baseline measured in the same run on the same machine, A/B alternating over ' +
      'several rounds: a raw `RTCPeerConnection` pair in the same headless Chromium page (or a bare `ws` relay for the ' +
      'server). Ratio = p2p-call / baseline, of medians.',
    '',
    '| Metric | p2p-call median (p95) | Baseline median (p95) | Ratio | Target | |',
    '|---|---|---|---|---|---|',
  );
  const add = (name, result, render) => {
    if (!result) return;
    if (result.error || result.available === false) lines.push(unavailableRow(name, result));
    else lines.push(...[render(result)].flat());
  };
  add('Glass-to-glass video latency', metrics.latency, (m) => [
    row('Glass-to-glass video latency', m, { mean: true }),
    decodedRow(m),
  ]);
  add('Time to connected (BroadcastChannel)', metrics.connect, (m) => [
    row('Time to connected, BroadcastChannel', m.broadcast, { digits: 0 }),
    row('Time to connected, WebSocket server', m.websocket, { digits: 0 }),
    row('Time to first remote frame, BroadcastChannel', m.firstFrameBroadcast, { digits: 0 }),
    row('Time to first remote frame, WebSocket server', m.firstFrameWebsocket, { digits: 0 }),
  ]);
  add(
    `File transfer throughput${metrics.file?.bytes ? ` (${metrics.file.bytes / 1048576} MiB)` : ''}`,
    metrics.file,
    (m) => row(`File transfer throughput (${m.bytes / 1048576} MiB)`, m),
  );
  add('App-data echo round trip (64 B)', metrics.echo, (m) => row('App-data echo round trip (64 B)', m, { digits: 2 }));
  add('Main-thread time of a running call', metrics.render, (m) => {
    const rows = [row('Main-thread busy time, call running (same 4 video tiles)', m.sameTiles)];
    if (m.twoVideos) rows.push(row('Main-thread busy time, call running (vs 2 bare videos)', m.twoVideos));
    return rows;
  });
  add('Signaling relay capacity', metrics.server, (m) => {
    const sat = m.saturation;
    const ratio = sat['p2p-call'].relayedPerSecond.median / sat.bare.relayedPerSecond.median;
    const load = m.fixedLoad;
    return [
      `| Signaling relay capacity (${m.config.pairs} room pairs, rate limit lifted) | ${fmt(sat['p2p-call'].relayedPerSecond.median, 0)} msg/s | ${fmt(sat.bare.relayedPerSecond.median, 0)} msg/s | ${fmt(ratio, 2)} | ≥ 0.8 | ${ratio >= 0.8 ? 'met' : '**missed**'} |`,
      `| Signaling server CPU per 1000 relayed frames | ${fmt(sat['p2p-call'].serverCpuMsPerThousand, 1)} ms | ${fmt(sat.bare.serverCpuMsPerThousand, 1)} ms | ${fmt(sat['p2p-call'].serverCpuMsPerThousand / sat.bare.serverCpuMsPerThousand, 2)} | — | |`,
      `| Signaling relay latency at ${fmt(load['p2p-call'].offeredPerSecond, 0)} msg/s (p50 (p99)) | ${fmt(load['p2p-call'].latency.median, 2)} (${fmt(load['p2p-call'].latency.p99, 1)}) ms | ${fmt(load.bare.latency.median, 2)} (${fmt(load.bare.latency.p99, 1)}) ms | ${fmt(load['p2p-call'].latency.median / load.bare.latency.median, 2)} | — | |`,
      `| Idle connections held: server memory per connection | ${fmt(m.idle['p2p-call'].bytesPerConnection / 1024, 1)} KB × ${m.idle['p2p-call'].connections} | ${fmt(m.idle.bare.bytesPerConnection / 1024, 1)} KB × ${m.idle.bare.connections} | ${fmt(m.idle['p2p-call'].bytesPerConnection / m.idle.bare.bytesPerConnection, 2)} | — | |`,
    ];
  });
  add('Audio mouth-to-ear', metrics.audio, (m) => audioRow(m));
  add('Bundle', metrics.bundle, (m) => [
    `| Bundle entry \`dist/p2p-call.min.js\` (gzip -9 / brotli) | ${kib(m.gzip)} / ${kib(m.brotli)} (${kib(m.raw)} min) | budget ${kib(m.budgetGzip)} gzip | — | ≤ budget | ${m.withinBudget ? 'met' : '**over budget**'} |`,
    ...(m.total
      ? [
          `| Bundle entry + ${m.chunks.length} chunks loaded on demand (gzip -9 / brotli) | ${kib(m.total.gzip)} / ${kib(m.total.brotli)} (${kib(m.total.raw)} min) | — | — | — | |`,
        ]
      : []),
  ]);

  if (metrics.network && !metrics.network.error) lines.push(...networkSection(metrics.network));
  else if (metrics.network?.error) lines.push('', `Impaired networks: not measured (${metrics.network.error})`);

  if (metrics.bundle?.dependencies?.length) {
    lines.push(
      '',
      '<details><summary>What the bundle entry is made of (minified bytes by source, from its source map)</summary>',
      '',
    );
    lines.push('| Part | Minified | Share | ≈ gzip share | gzip alone |', '|---|---|---|---|---|');
    for (const dep of metrics.bundle.dependencies) {
      lines.push(
        `| ${dep.group} | ${kib(dep.minified)} | ${fmt(dep.share * 100, 1)} % | ${kib(dep.gzipShareEstimate)} | ${kib(dep.gzipAlone)} |`,
      );
    }
    lines.push('', '</details>');
  }

  const notes = [];
  const latency = metrics.latency;
  if (latency && !latency.error) {
    notes.push(
      `Latency: a 320×240 canvas painting \`performance.now()\` as blocks at 60 fps, decoded on the receiving \`<video>\` ` +
        `in requestVideoFrameCallback; ${latency.element.n} / ${latency.raw.n} frames, received at ` +
        `${fmt(latency.element.framesPerSecond, 0)} / ${fmt(latency.raw.framesPerSecond, 0)} fps (element / raw). ` +
        `Frames are shown only at display refreshes, and each call settles on a phase against them: its frames land ` +
        `one refresh (~16 ms) or two (~32 ms) after painting. Calls at two refreshes: element ` +
        `${latency.element.callsAtTwoRefreshes} of ${latency.element.calls}, raw ${latency.raw.callsAtTwoRefreshes} of ${latency.raw.calls} ` +
        `(a coin flip per call, which moves the mean by several percent between runs of the same code; the ratio is ` +
        `of medians). Per-call medians: element ${latency.element.roundMedians.map((value) => fmt(value, 1)).join(', ')} ms; ` +
        `raw ${latency.raw.roundMedians.map((value) => fmt(value, 1)).join(', ')} ms. Painted → decoded comes from each ` +
        `frame's requestVideoFrameCallback metadata (receiveTime + processingDuration).`,
    );
  }
  const connect = metrics.connect;
  if (connect && !connect.error && connect.elementPhases) {
    const p = connect.elementPhases;
    notes.push(
      `Connect: media acquired before the clock starts (the element gets it as \`localStream\`). As issue 6 defines it, ` +
        `the element's clock starts when both are in the room and the raw pair's when it starts its offer (the raw pair ` +
        `exchanges descriptions and candidates by direct calls); first frames are timed from the same start. From ` +
        `\`join()\` instead (medians, both sides): in the room after ${fmt(p.broadcast.inRoomMs, 0)} ms, peer found and ` +
        `link opened after ${fmt(p.broadcast.peerFoundMs, 0)} ms, connected after ${fmt(p.broadcast.fromJoinMs, 0)} ms ` +
        `over BroadcastChannel; ${fmt(p.websocket.inRoomMs, 0)} / ${fmt(p.websocket.peerFoundMs, 0)} / ` +
        `${fmt(p.websocket.fromJoinMs, 0)} ms over the WebSocket server (opening the socket included).`,
    );
  }
  if (metrics.file?.available) {
    notes.push(
      `File: peak JS heap (V8 heap + ArrayBuffers) of the page holding both peers ${fmt(metrics.file.element.peakHeapMiB, 0)} MiB (element; ` +
        `+${fmt(metrics.file.element.peakHeapGrowthMiB, 0)} MiB during the transfer) vs ${fmt(metrics.file.raw.peakHeapMiB, 0)} MiB ` +
        `(raw, +${fmt(metrics.file.raw.peakHeapGrowthMiB, 0)} MiB); raw baseline: 64 KiB messages, 1 MiB high-water mark, ` +
        `\`bufferedamountlow\` at 256 KiB.`,
    );
  }
  if (metrics.echo?.available) {
    notes.push(
      `Echo: one 64-byte JSON message in flight at a time, timed by a ${fmt((results.features?.clockStepMs ?? NaN) * 1000, 0)} µs clock (the bench page is cross-origin isolated); the two elements ran ` +
        `${fmt(metrics.echo.element.litUpdatesPerRoundTrip, 1)} Lit updates per round trip.`,
    );
  }
  const render = metrics.render;
  if (render && !render.error) {
    notes.push(
      `Render: CDP \`TaskDuration\` over ${results.profile.render.rounds} × ${render.durationMs / 1000} s per side of a connected call with fake camera and microphone; ` +
        `the element ran ${fmt(render.sameTiles.element.litUpdatesPerSecond, 2)} Lit updates per second while connected.`,
    );
  }
  if (metrics.audio && !metrics.audio.error) notes.push(audioNote(metrics.audio, results));
  if (metrics.network && !metrics.network.error) notes.push(...networkNote(metrics.network));
  if (metrics.server && !metrics.server.error) {
    const { config, idle } = metrics.server;
    notes.push(
      `Server: each server in its own process (\`node dist/server/bin.js --open\`; the capacity test lifts its per-socket ` +
        `rate limit, which otherwise caps a socket at 50 frames/s); fixed load = ${config.pairs} room pairs, each socket ` +
        `sending ${config.perSocketRate} ICE-candidate frames/s; idle = ${idle['p2p-call'].connections} sockets, one per room ` +
        `(server RSS ${fmt(idle['p2p-call'].rssAfterBytes / 1048576, 0)} MiB vs bare ${fmt(idle.bare.rssAfterBytes / 1048576, 0)} MiB).`,
    );
  }
  if (results.distStale)
    notes.push('**dist/ was older than src/ when this ran: the numbers describe the last build.**');
  if (notes.length) lines.push('', ...notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}
