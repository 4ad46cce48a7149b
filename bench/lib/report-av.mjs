// The Markdown of metrics 8 (audio mouth-to-ear) and 9 (impaired networks): a row of the main table, the network
// table, and their notes.

const fmt = (value, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value) ? '—' : value.toFixed(digits);
const ms = (side, digits = 0) => `${fmt(side?.median, digits)} (${fmt(side?.p95, digits)})`;

const VARIANT_NAMES = { element: 'p2p-call', raw: 'raw pair' };
const variantName = (key, result) => VARIANT_NAMES[key] ?? `raw pair + ${result.tuning}`;

/** The main table's row for metric 8. */
export function audioRow(m) {
  const status = m.pass === undefined ? '' : m.pass ? 'met' : '**missed**';
  return `| Audio mouth-to-ear (loopback call with video) | ${ms(m.element, 1)} ms | ${ms(m.raw, 1)} ms | ${fmt(m.ratio, 2)} | ≤ ${m.target.value} | ${status} |`;
}

export function audioNote(m, results) {
  const call = (impl) => m.calls[impl];
  return (
    `Audio: a generated microphone track (WebAudio) with a 10 ms tone burst every ${m.periodMs} ms, sent with the ` +
    `video in one stream; an AudioWorklet on the receiving side's remote stream times each burst's onset on the ` +
    `same AudioContext clock that scheduled it. ${m.element.n} / ${m.raw.n} bursts over ${results.profile.audio.calls} ` +
    `call(s) per side (${m.warmupMs / 1000} s in, ${m.durationMs / 1000} s each); missed ${m.element.missed} / ` +
    `${m.raw.missed}. p95 ratio ${fmt(m.p95Ratio, 2)}. Of the figure, the receiver's jitter buffer held audio ` +
    `${fmt(m.element.jitterBufferMs, 0)} / ${fmt(m.raw.jitterBufferMs, 0)} ms on average (element / raw); the ` +
    `measurement path alone (track -> detector, no call) takes ${fmt(m.floorMs, 1)} ms. Per-call medians: element ` +
    `${m.element.callMedians.map((v) => fmt(v, 0)).join(', ')} ms; raw ${m.raw.callMedians.map((v) => fmt(v, 0)).join(', ')} ms. ` +
    `Video in the same calls (640×360, half noise, 30 fps): glass-to-glass ${ms(call('element').video)} / ` +
    `${ms(call('raw').video)} ms, ${fmt(call('element').video.presentedFps, 0)} / ${fmt(call('raw').video.presentedFps, 0)} fps shown.`
  );
}

/** Metric 9's table: one row per profile and variant. */
export function networkSection(m) {
  const lines = [
    '',
    '#### Calls over impaired networks',
    '',
    `Each profile's call: ${m.calls} per variant, ${m.warmupMs / 1000} s in, measured over ${m.durationMs / 1000} s. ` +
      'Impaired profiles go through the user-space relay and a TURN server (relay-only ICE on both sides, ' +
      'element and raw alike); "measured" is what the call saw: ICE round trip time (STUN checks, whole call) and ' +
      "the receiver's RTP loss over the window (audio / video).",
    '',
    '| Profile | Variant | Video glass-to-glass median (p95) | Frames shown/s | Freezes (s frozen) | Height | Video kbit/s | Audio mouth-to-ear median (p95) | Audio concealed | Measured RTT, loss |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const profile of Object.values(m.profiles)) {
    m.variants.forEach((key, index) => {
      const r = profile[key];
      if (!r) return;
      const loss = `${fmt(r.audio.lossPercent, 1)} / ${fmt(r.video.lossPercent, 1)} %`;
      lines.push(
        `| ${index === 0 ? profile.label : ''} | ${variantName(key, r)} | ${ms(r.video)} ms | ${fmt(r.video.presentedFps, 0)} | ` +
          `${r.video.freezes} (${fmt(r.video.freezeSeconds, 1)}) | ${fmt(r.video.height, 0)} | ${fmt(r.video.kbps, 0)} | ` +
          `${ms(r.audio)} ms | ${fmt(r.audio.concealedPercent, 2)} % | ${fmt(r.network.rttMs, 0)} ms, ${loss} |`,
      );
    });
  }
  return lines;
}

export function networkNote(m) {
  const relayed = Object.entries(m.profiles).filter(([, profile]) => profile.element?.network?.relay);
  if (!relayed.length) return [];
  const parts = relayed.map(([name, profile]) => {
    const relay = profile.element.network.relay;
    return (
      `${name}: the relay dropped ${fmt(relay.lossPercent, 1)} % by its loss model and ${fmt(relay.queueDropPercent, 1)} % ` +
      `at its queue, mean one-way delay ${fmt(relay.meanDelayMs, 0)} ms (element calls)`
    );
  });
  const ratios = Object.entries(m.profiles)
    .filter(([, profile]) => profile.element && profile.raw)
    .map(
      ([name, profile]) =>
        `${name} ${fmt(profile.element.video.median / profile.raw.video.median, 2)} / ` +
        `${fmt(profile.element.audio.median / profile.raw.audio.median, 2)}`,
    );
  return [`Networks: ${parts.join('; ')}. Element / raw pair, video / audio medians: ${ratios.join('; ')}.`];
}
