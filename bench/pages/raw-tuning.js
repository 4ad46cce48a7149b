// Settings a page can apply to a raw RTCPeerConnection pair beyond the browser's defaults, to find out which would
// make a call better on an impaired network (and not worse on a good one). Each named tuning is a set of them; the
// bench's "raw-tuned" variant is the one that won (RAW_TUNED below), the rest stay selectable for experiments
// (`node bench/run.mjs --only network --tunings a,b`).
//
//   jitterBufferTargetMs   { audio, video }: RTCRtpReceiver.jitterBufferTarget on the receiving side (a floor for
//                          the jitter buffer; the browser's adaptive target still applies above it)
//   playoutDelayHintS      { audio, video }: Chromium's older RTCRtpReceiver.playoutDelayHint (seconds)
//   degradationPreference  on the video sender: 'maintain-framerate' | 'maintain-resolution' | 'balanced'
//   maxBitrateKbps         { audio, video }: encodings[0].maxBitrate
//   scaleResolutionDownBy  on the video sender's encoding
//   red                    audio/red first in the audio codec preferences (RFC 2198 redundancy of the last frame)
//   opus                   { useinbandfec, usedtx, stereo, maxaveragebitrate, ptime }: written into the SDP's Opus
//                          fmtp (and a=ptime) of both descriptions: a receiver's fmtp tells the sender what to send
//   contentHint            on the video track: 'motion' | 'detail' | 'text'
//   separateStreams        audio and video sent in two MediaStreams: the receiver then plays each as soon as it can
//                          instead of holding the earlier one back for lip sync

export const TUNINGS = {
  'jb-audio-40': { jitterBufferTargetMs: { audio: 40 } },
  'jb-audio-80': { jitterBufferTargetMs: { audio: 80 } },
  'jb-video-80': { jitterBufferTargetMs: { video: 80 } },
  'jb-both-60': { jitterBufferTargetMs: { audio: 60, video: 60 } },
  red: { red: true },
  'opus-fec-off': { opus: { useinbandfec: 0 } },
  'opus-dtx': { opus: { usedtx: 1 } },
  'opus-ptime-40': { opus: { ptime: 40 } },
  'opus-ptime-10': { opus: { ptime: 10 } },
  'maintain-framerate': { degradationPreference: 'maintain-framerate' },
  'maintain-resolution': { degradationPreference: 'maintain-resolution' },
  'video-cap-600': { maxBitrateKbps: { video: 600 } },
  'video-cap-800': { maxBitrateKbps: { video: 800 } },
  'scale-2': { scaleResolutionDownBy: 2 },
  motion: { contentHint: 'motion' },
  'no-lipsync': { separateStreams: true },
  'red+no-lipsync': { red: true, separateStreams: true },
  'red+jb-audio-40': { red: true, jitterBufferTargetMs: { audio: 40 } },
};

/**
 * The raw-tuned variant of the bench: the one setting that made the impaired calls better and cost the good one
 * nothing measurable (docs/performance.md, "Audio and impaired networks", has the numbers of every tuning tried).
 */
export const RAW_TUNED = 'red';

export const tuningNamed = (name) => {
  const tuning = TUNINGS[name];
  if (!tuning) throw new Error(`unknown tuning "${name}" (known: ${Object.keys(TUNINGS).join(', ')})`);
  return tuning;
};

/** Before the offer: codec preferences on the offerer's transceivers, the content hint on its video track. */
export function beforeOffer(pc, tuning) {
  for (const transceiver of pc.getTransceivers()) {
    const kind = transceiver.sender.track?.kind ?? transceiver.receiver.track.kind;
    if (kind === 'video' && tuning.contentHint && transceiver.sender.track) {
      transceiver.sender.track.contentHint = tuning.contentHint;
    }
    if (kind === 'audio' && tuning.red) {
      const codecs = RTCRtpReceiver.getCapabilities('audio').codecs;
      const red = codecs.filter((codec) => codec.mimeType.toLowerCase() === 'audio/red');
      if (!red.length) throw new Error('this browser offers no audio/red');
      transceiver.setCodecPreferences([...red, ...codecs.filter((codec) => !red.includes(codec))]);
    }
  }
}

/** Rewrites the Opus fmtp (and ptime) of a description per `tuning.opus`. */
export function mungeDescription(description, tuning) {
  if (!tuning.opus) return description;
  const lines = description.sdp.split('\r\n');
  const opus = lines
    .map((line) => /^a=rtpmap:(\d+) opus\/48000/iu.exec(line)?.[1])
    .find((payload) => payload !== undefined);
  if (opus === undefined) return description;
  const { ptime, ...fmtp } = tuning.opus;
  const out = [];
  let inAudio = false;
  for (const line of lines) {
    if (line.startsWith('m=')) inAudio = line.startsWith('m=audio');
    if (inAudio && ptime !== undefined && line.startsWith('a=ptime:')) continue;
    if (line.startsWith(`a=fmtp:${opus} `)) {
      const params = new Map(
        line
          .slice(`a=fmtp:${opus} `.length)
          .split(';')
          .map((pair) => pair.split('=')),
      );
      for (const [key, value] of Object.entries(fmtp)) params.set(key, String(value));
      out.push(`a=fmtp:${opus} ${[...params].map(([key, value]) => `${key}=${value}`).join(';')}`);
      if (ptime !== undefined) out.push(`a=ptime:${ptime}`);
      continue;
    }
    out.push(line);
  }
  return { type: description.type, sdp: out.join('\r\n') };
}

/** After negotiation: sender parameters on the sending side. */
export async function tuneSenders(pc, tuning) {
  for (const sender of pc.getSenders()) {
    const kind = sender.track?.kind;
    if (!kind) continue;
    const params = sender.getParameters();
    let changed = false;
    if (kind === 'video' && tuning.degradationPreference) {
      params.degradationPreference = tuning.degradationPreference;
      changed = true;
    }
    const encoding = params.encodings?.[0];
    if (encoding && tuning.maxBitrateKbps?.[kind]) {
      encoding.maxBitrate = tuning.maxBitrateKbps[kind] * 1000;
      changed = true;
    }
    if (encoding && kind === 'video' && tuning.scaleResolutionDownBy) {
      encoding.scaleResolutionDownBy = tuning.scaleResolutionDownBy;
      changed = true;
    }
    if (changed) await sender.setParameters(params);
  }
}

/** On the receiving side, as each track arrives. */
export function tuneReceiver(receiver, tuning) {
  const kind = receiver.track.kind;
  if (tuning.jitterBufferTargetMs?.[kind] !== undefined)
    receiver.jitterBufferTarget = tuning.jitterBufferTargetMs[kind];
  if (tuning.playoutDelayHintS?.[kind] !== undefined) receiver.playoutDelayHint = tuning.playoutDelayHintS[kind];
}
