// Mouth-to-ear audio latency: a generated microphone track carrying 10 ms tone bursts at known times, and an onset
// detector on the receiving side's audio path. Both run in ONE AudioContext of the page, so send and detection times
// are read off the same clock (the context's sample clock): no conversion, no clock offset to estimate.
//
// The bursts cycle through four frequencies; the detector tells them apart by their zero crossings, so a detected
// burst is matched to the right send even when the latency exceeds the spacing between bursts (up to 4 spacings).

const FREQUENCIES = [500, 1000, 2000, 4000];
const BURST_S = 0.01;
const AMPLITUDE = 0.5;
const SCHEDULE_AHEAD_S = 1;

let shared;

/** The page's one AudioContext, with the detector module loaded. */
export async function audioContext() {
  shared ??= (async () => {
    const context = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
    await context.audioWorklet.addModule(new URL('./pulse-detector.worklet.js', import.meta.url));
    if (context.state !== 'running') await context.resume();
    return context;
  })();
  return shared;
}

/**
 * A mono track of bursts every `periodMs`, scheduled a second ahead while it runs. `sends` lists each burst's
 * context time and frequency index.
 */
export function pulseTrain(context, { periodMs = 300 } = {}) {
  const destination = context.createMediaStreamDestination();
  destination.channelCount = 1;
  const sends = [];
  const period = periodMs / 1000;
  let next = context.currentTime + 0.05;
  let index = 0;
  const schedule = () => {
    while (next < context.currentTime + SCHEDULE_AHEAD_S) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      const frequency = index % FREQUENCIES.length;
      oscillator.frequency.value = FREQUENCIES[frequency];
      gain.gain.value = AMPLITUDE;
      oscillator.connect(gain).connect(destination);
      oscillator.start(next);
      oscillator.stop(next + BURST_S);
      oscillator.onended = () => gain.disconnect();
      sends.push({ time: next, frequency });
      next += period;
      index++;
    }
  };
  schedule();
  const timer = setInterval(schedule, 250);
  const [track] = destination.stream.getAudioTracks();
  return {
    track,
    sends,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** Starts detecting bursts on `stream`'s audio; `onsets` fills with { time (context s), frequency index }. */
export function pulseDetector(context, stream) {
  const source = context.createMediaStreamSource(stream);
  const detector = new AudioWorkletNode(context, 'pulse-detector', { numberOfOutputs: 1, outputChannelCount: [1] });
  // Connected to the destination (silently) so the graph pulls it; the page's audio output is off anyway.
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(detector).connect(mute).connect(context.destination);
  const onsets = [];
  detector.port.onmessage = ({ data }) => {
    const ratio = data.crossings / (FREQUENCIES[0] * 2 * BURST_S || 1);
    const frequency = Math.min(FREQUENCIES.length - 1, Math.max(0, Math.round(Math.log2(Math.max(ratio, 0.5)))));
    onsets.push({ time: data.frame / context.sampleRate, frequency, crossings: data.crossings });
  };
  return {
    onsets,
    stop() {
      source.disconnect();
      detector.disconnect();
      mute.disconnect();
      detector.port.onmessage = null;
    },
  };
}

/**
 * Pairs each onset detected in [from, to) (context seconds) with the latest earlier send of the same frequency:
 * latencies in ms. Onsets that match no send (noise, a concealment artefact) are counted, not used; so are the sends
 * of the window that were never heard (`missed`: lost, or concealed into silence).
 */
export function matchPulses(sends, onsets, { from = 0, to = Infinity, periodMs = 300 } = {}) {
  const latencies = [];
  const heard = new Set();
  let unmatched = 0;
  const limit = (FREQUENCIES.length * periodMs) / 1000;
  for (const onset of onsets) {
    if (onset.time < from || onset.time >= to) continue;
    let match;
    for (const send of sends) {
      if (send.time > onset.time) break;
      if (send.frequency === onset.frequency) match = send;
    }
    if (match && onset.time - match.time < limit && !heard.has(match)) {
      heard.add(match);
      latencies.push((onset.time - match.time) * 1000);
    } else unmatched++;
  }
  // Sends that should have been heard inside the window: sent after it opened, due before it closed.
  const slowest = Math.max(0.2, ...latencies.map((ms) => ms / 1000));
  const due = sends.filter((send) => send.time >= from && send.time + slowest < to);
  return { latencies, unmatched, sent: due.length, missed: due.filter((send) => !heard.has(send)).length };
}
