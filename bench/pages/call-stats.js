// getStats() of a running call, read twice (at the start and the end of a measurement window) and turned into what
// the window saw: the receiver's video and audio (frames, freezes, concealment, loss, jitter buffer), the selected
// candidate pair's round trip time, and the sender's view of its video (resolution, what limits it, its target).

const pick = (report, predicate) => {
  for (const stats of report.values()) if (predicate(stats)) return stats;
  return undefined;
};

/** The pair ICE selected: the transport's selectedCandidatePairId (Chromium), else the nominated succeeded one. */
function selectedPair(report) {
  const transport = pick(report, (s) => s.type === 'transport' && s.selectedCandidatePairId);
  const pair = transport
    ? report.get(transport.selectedCandidatePairId)
    : pick(report, (s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
  if (!pair) return undefined;
  return {
    ...pair,
    localType: report.get(pair.localCandidateId)?.candidateType,
    remoteType: report.get(pair.remoteCandidateId)?.candidateType,
  };
}

export async function snapshot(pc) {
  const report = await pc.getStats();
  const inbound = (kind) => pick(report, (s) => s.type === 'inbound-rtp' && s.kind === kind);
  const outbound = (kind) => pick(report, (s) => s.type === 'outbound-rtp' && s.kind === kind);
  const remoteInbound = (kind) => pick(report, (s) => s.type === 'remote-inbound-rtp' && s.kind === kind);
  return {
    at: performance.now(),
    video: inbound('video'),
    audio: inbound('audio'),
    playout: pick(report, (s) => s.type === 'media-playout'),
    pair: selectedPair(report),
    sentVideo: outbound('video'),
    sentAudio: outbound('audio'),
    sentVideoRemote: remoteInbound('video'),
    sentAudioRemote: remoteInbound('audio'),
  };
}

const delta = (a, b, key) => (b?.[key] ?? 0) - (a?.[key] ?? 0);
const ratio = (numerator, denominator) => (denominator > 0 ? numerator / denominator : undefined);

/** What the receiving side saw between two snapshots of its connection. */
export function receiverWindow(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const v0 = before.video;
  const v1 = after.video;
  const a0 = before.audio;
  const a1 = after.audio;
  const lossRate = (s0, s1) => {
    const lost = delta(s0, s1, 'packetsLost');
    return ratio(lost, lost + delta(s0, s1, 'packetsReceived'));
  };
  const pairRtt = ratio(
    delta(before.pair, after.pair, 'totalRoundTripTime'),
    delta(before.pair, after.pair, 'responsesReceived'),
  );
  return {
    seconds,
    route: after.pair ? `${after.pair.localType}/${after.pair.remoteType}` : undefined,
    // ICE's round trip times (STUN checks, every few seconds once connected): the mean over the checks answered in the
    // window, over the whole call so far, and the last one.
    rttMs: pairRtt !== undefined ? pairRtt * 1000 : undefined,
    callRttMs: after.pair?.responsesReceived
      ? (after.pair.totalRoundTripTime / after.pair.responsesReceived) * 1000
      : undefined,
    currentRttMs: after.pair?.currentRoundTripTime !== undefined ? after.pair.currentRoundTripTime * 1000 : undefined,
    video: v1 && {
      framesPerSecond: delta(v0, v1, 'framesDecoded') / seconds,
      framesDropped: delta(v0, v1, 'framesDropped'),
      freezeCount: delta(v0, v1, 'freezeCount'),
      freezeSeconds: delta(v0, v1, 'totalFreezesDuration'),
      pauseCount: delta(v0, v1, 'pauseCount'),
      kbps: (delta(v0, v1, 'bytesReceived') * 8) / 1000 / seconds,
      lossRate: lossRate(v0, v1),
      nacks: delta(v0, v1, 'nackCount'),
      plis: delta(v0, v1, 'pliCount'),
      keyFrames: delta(v0, v1, 'keyFramesDecoded'),
      jitterBufferMs: ratio(delta(v0, v1, 'jitterBufferDelay') * 1000, delta(v0, v1, 'jitterBufferEmittedCount')),
      jitterMs: v1.jitter * 1000,
      // Mean quantiser of the decoded frames: how coarsely the encoder had to compress (VP8: 0-127, lower is sharper).
      qp: ratio(delta(v0, v1, 'qpSum'), delta(v0, v1, 'framesDecoded')),
      width: v1.frameWidth,
      height: v1.frameHeight,
    },
    audio: a1 && {
      concealedRatio: ratio(delta(a0, a1, 'concealedSamples'), delta(a0, a1, 'totalSamplesReceived')),
      // Concealment of samples that would have been silence anyway (the pulse track is mostly silence).
      silentConcealedRatio: ratio(delta(a0, a1, 'silentConcealedSamples'), delta(a0, a1, 'totalSamplesReceived')),
      concealmentEvents: delta(a0, a1, 'concealmentEvents'),
      lossRate: lossRate(a0, a1),
      fecPackets: delta(a0, a1, 'fecPacketsReceived'),
      insertedRatio: ratio(delta(a0, a1, 'insertedSamplesForDeceleration'), delta(a0, a1, 'totalSamplesReceived')),
      removedRatio: ratio(delta(a0, a1, 'removedSamplesForAcceleration'), delta(a0, a1, 'totalSamplesReceived')),
      jitterBufferMs: ratio(delta(a0, a1, 'jitterBufferDelay') * 1000, delta(a0, a1, 'jitterBufferEmittedCount')),
      jitterBufferTargetMs: ratio(
        delta(a0, a1, 'jitterBufferTargetDelay') * 1000,
        delta(a0, a1, 'jitterBufferEmittedCount'),
      ),
      jitterMs: a1.jitter * 1000,
      kbps: (delta(a0, a1, 'bytesReceived') * 8) / 1000 / seconds,
      packetsPerSecond: delta(a0, a1, 'packetsReceived') / seconds,
      playoutDelayMs: ratio(
        delta(before.playout, after.playout, 'totalPlayoutDelay') * 1000,
        delta(before.playout, after.playout, 'totalSamplesCount'),
      ),
    },
  };
}

const rtcpRtt = (r0, r1) => {
  const mean = ratio(delta(r0, r1, 'totalRoundTripTime'), delta(r0, r1, 'roundTripTimeMeasurements'));
  return mean !== undefined ? mean * 1000 : undefined;
};

/** What the sending side saw of its own video and audio between two snapshots. */
export function senderWindow(before, after) {
  const seconds = (after.at - before.at) / 1000;
  const v0 = before.sentVideo;
  const v1 = after.sentVideo;
  const limited = {};
  for (const [reason, total] of Object.entries(v1?.qualityLimitationDurations ?? {})) {
    const share = (total - (v0?.qualityLimitationDurations?.[reason] ?? 0)) / seconds;
    if (reason !== 'none' && share > 0.005) limited[reason] = share;
  }
  return {
    video: v1 && {
      kbps: (delta(v0, v1, 'bytesSent') * 8) / 1000 / seconds,
      retransmittedKbps: (delta(v0, v1, 'retransmittedBytesSent') * 8) / 1000 / seconds,
      targetKbps: v1.targetBitrate !== undefined ? v1.targetBitrate / 1000 : undefined,
      framesPerSecond: delta(v0, v1, 'framesEncoded') / seconds,
      width: v1.frameWidth,
      height: v1.frameHeight,
      limitedBy: limited, // share of the window per reason (cpu, bandwidth)
      remoteLossRate: after.sentVideoRemote?.fractionLost,
      // From RTCP receiver reports (about one a second): the mean over the window's.
      rtcpRttMs: rtcpRtt(before.sentVideoRemote, after.sentVideoRemote),
    },
    audio: after.sentAudio && {
      kbps: (delta(before.sentAudio, after.sentAudio, 'bytesSent') * 8) / 1000 / seconds,
      rtcpRttMs: rtcpRtt(before.sentAudioRemote, after.sentAudioRemote),
    },
  };
}
