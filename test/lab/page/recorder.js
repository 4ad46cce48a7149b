// The lab's side of the page: joins the element with the cell's settings, records every public event it fires (with
// wall-clock times, comparable across the two browsers and with the lab's own clock), counts the remote frames it
// presents, and reads getStats on demand. It listens to public events and reads public properties only; getStats
// goes through the connection handles instrument.js kept.
const call = document.getElementById('call');
const { timeline, connections, note } = window.labInstrument;

const record = {
  states: [],
  errors: [],
  routes: [],
  reconnecting: [],
  recovered: [],
  quality: [],
  peers: [],
  frames: { count: 0, first: undefined, last: undefined, times: [] },
  /**
   * The remote video's player, looked at every 50 ms: when its own frame count (getVideoPlaybackQuality, what the
   * element's link watch reads) moved, and each change of what could keep a frame from being presented (paused,
   * ready state, picture size, the video's box on the page). Compared with `frames` when a presented frame is late.
   */
  player: { times: [], states: [] },
  joinedAt: undefined,
};

call.addEventListener('p2p-state-change', (event) => {
  record.states.push({ state: event.detail.state, at: Date.now() });
  note('state', { state: event.detail.state });
});
call.addEventListener('p2p-error', (event) => {
  record.errors.push({ ...event.detail, at: Date.now() });
  note('error', { code: event.detail.code });
});
call.addEventListener('p2p-route', (event) => {
  record.routes.push({ ...event.detail, at: Date.now() });
  note('route', { ...event.detail });
});
call.addEventListener('p2p-reconnecting', (event) => {
  record.reconnecting.push({ ...event.detail, at: Date.now() });
  note('reconnecting', { reason: event.detail.reason });
});
call.addEventListener('p2p-recovered', (event) => {
  record.recovered.push({ ...event.detail, at: Date.now() });
  note('recovered', { ...event.detail });
});
call.addEventListener('p2p-quality', (event) => record.quality.push({ ...event.detail, at: Date.now() }));
for (const name of ['p2p-peer-join', 'p2p-peer-leave']) {
  call.addEventListener(name, () => {
    record.peers.push({ event: name, at: Date.now() });
    note(name.slice(4));
  });
}

/** The video showing the other person (the element's built-in one). */
const remoteVideo = () => call.shadowRoot?.querySelector('video.remote-video') ?? null;

// Every presented remote frame, by requestVideoFrameCallback on whatever video shows the remote stream now. After a
// recovery the element gives the same <video> a new stream, and a callback asked of the old one may never fire: the
// watch starts over (a new generation; callbacks of older ones are ignored) whenever the video or its stream changes.
// Only the front tab presents frames in headless Chromium.
const FRAME_TIMES_KEPT = 6000;
let watch = { video: undefined, stream: undefined, generation: 0 };
const watchFrames = (video, generation) => {
  video.requestVideoFrameCallback(() => {
    if (generation !== watch.generation) return;
    const now = Date.now();
    record.frames.count += 1;
    record.frames.first ??= now;
    record.frames.last = now;
    if (record.frames.times.length < FRAME_TIMES_KEPT) record.frames.times.push(now);
    watchFrames(video, generation);
  });
};
let playerSeen = { frames: undefined, key: undefined };
const lookAtPlayer = (video) => {
  const now = Date.now();
  const frames = video.getVideoPlaybackQuality?.().totalVideoFrames;
  if (frames !== undefined && playerSeen.frames !== undefined && frames !== playerSeen.frames) {
    if (record.player.times.length < FRAME_TIMES_KEPT) record.player.times.push(now);
  }
  playerSeen.frames = frames;
  const box = video.getBoundingClientRect();
  const state = {
    paused: video.paused,
    readyState: video.readyState,
    size: `${video.videoWidth}x${video.videoHeight}`,
    box: `${Math.round(box.width)}x${Math.round(box.height)}`,
    visibility: document.visibilityState,
  };
  const key = JSON.stringify(state);
  if (key !== playerSeen.key && record.player.states.length < 500) record.player.states.push({ at: now, ...state });
  playerSeen.key = key;
};

setInterval(() => {
  const video = remoteVideo();
  if (video) lookAtPlayer(video);
  if (!video || !('requestVideoFrameCallback' in video)) return;
  if (video === watch.video && video.srcObject === watch.stream) return;
  watch = { video, stream: video.srcObject, generation: watch.generation + 1 };
  if (video.srcObject) {
    note('remote-video', { stream: video.srcObject.id });
    watchFrames(video, watch.generation);
  }
}, 50);

/** The connection that carries the call now: the newest one with both descriptions that is not closed. */
function currentConnection() {
  for (let i = connections.length - 1; i >= 0; i -= 1) {
    const pc = connections[i];
    if (pc.connectionState !== 'closed' && pc.remoteDescription && pc.localDescription) return pc;
  }
  return undefined;
}

/** The getStats facts the lab reports, flattened (undefined when there is no connection). */
async function stats() {
  const pc = currentConnection();
  if (!pc) return undefined;
  const report = await pc.getStats();
  const out = { pc: pc.labId, at: Date.now(), iceState: pc.iceConnectionState };
  let pair;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId);
  });
  report.forEach((s) => {
    if (!pair && s.type === 'candidate-pair' && s.selected) pair = s; // Firefox
  });
  // Chromium's transport report was seen without selectedCandidatePairId on calls that were connected and whose ICE
  // transport named its pair (eim+eim cells on a loaded machine, five full lab runs of 2026-12-07): the pair in use
  // is then the nominated, succeeded one that carries the bytes. Marked, so the table shows where it was used.
  let from = 'selected';
  if (!pair) {
    report.forEach((s) => {
      if (s.type !== 'candidate-pair' || !s.nominated || s.state !== 'succeeded') return;
      if (!pair || (s.bytesReceived ?? 0) > (pair.bytesReceived ?? 0)) [pair, from] = [s, 'nominated'];
    });
  }
  if (pair) {
    const local = report.get(pair.localCandidateId);
    const remote = report.get(pair.remoteCandidateId);
    out.pair = {
      local: local?.candidateType,
      localProtocol: local?.protocol,
      relayProtocol: local?.relayProtocol,
      localAddress: local ? `${local.address}:${local.port}` : undefined,
      remote: remote?.candidateType,
      remoteAddress: remote ? `${remote.address}:${remote.port}` : undefined,
      rtt: pair.currentRoundTripTime,
      availableOutgoingBitrate: pair.availableOutgoingBitrate,
      from,
    };
  }
  report.forEach((s) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video') {
      out.videoIn = {
        framesDecoded: s.framesDecoded ?? 0,
        framesReceived: s.framesReceived,
        framesDropped: s.framesDropped,
        width: s.frameWidth,
        height: s.frameHeight,
        fps: s.framesPerSecond,
        freezeCount: s.freezeCount,
        totalFreezesDuration: s.totalFreezesDuration,
        packetsLost: s.packetsLost,
        packetsReceived: s.packetsReceived,
        nackCount: s.nackCount,
        pliCount: s.pliCount,
        bytesReceived: s.bytesReceived,
      };
    } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      out.audioIn = {
        packetsReceived: s.packetsReceived,
        packetsLost: s.packetsLost,
        concealedSamples: s.concealedSamples,
        silentConcealedSamples: s.silentConcealedSamples,
        concealmentEvents: s.concealmentEvents,
        totalSamplesReceived: s.totalSamplesReceived,
        fecPacketsReceived: s.fecPacketsReceived,
        jitter: s.jitter,
        bytesReceived: s.bytesReceived,
      };
    } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
      // With a second (screen) sender there could be two: the camera is the first one seen with frames.
      if (out.videoOut && out.videoOut.framesEncoded > 0) return;
      out.videoOut = {
        width: s.frameWidth,
        height: s.frameHeight,
        fps: s.framesPerSecond,
        framesEncoded: s.framesEncoded,
        qualityLimitationReason: s.qualityLimitationReason,
        targetBitrate: s.targetBitrate,
        bytesSent: s.bytesSent,
        retransmittedBytesSent: s.retransmittedBytesSent,
      };
    } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
      out.audioOut = { packetsSent: s.packetsSent, bytesSent: s.bytesSent, targetBitrate: s.targetBitrate };
    }
  });
  return out;
}

/**
 * Decoded video frames, sampled from getStats every `intervalMs` while on: [time, framesDecoded, pc, detail] rows,
 * the detail saying where a late first frame waits (packets in, frames assembled, key frames decoded, PLIs sent, and
 * this side's own video sender: frames encoded, packets sent). The
 * decoder's count moves whether or not the page presents frames (a background tab, a video that stopped playing).
 * Only the video receiver's and sender's stats are read: a whole connection's getStats five times a second, on both pages, delays
 * the packets of a connection that has just come up, which is what a network change measures.
 */
const decoded = { timer: undefined, samples: [] };
function sampleDecoded(on, intervalMs = 200) {
  clearInterval(decoded.timer);
  if (!on) return;
  decoded.timer = setInterval(async () => {
    const pc = currentConnection();
    const receiver = pc?.getReceivers().find((r) => r.track?.kind === 'video');
    if (!receiver) return;
    const sender = pc.getSenders().find((candidate) => candidate.track?.kind === 'video');
    const at = Date.now();
    const [received, sent] = await Promise.all([
      receiver.getStats().catch(() => undefined),
      sender?.getStats().catch(() => undefined),
    ]);
    if (!received) return;
    const first = (report, type) => {
      let found;
      report?.forEach((s) => {
        if (s.type === type && s.kind === 'video') found ??= s;
      });
      return found;
    };
    // A sample before the first packet too (no inbound-rtp yet): this side's sender may be sending meanwhile.
    const inbound = first(received, 'inbound-rtp');
    const outbound = first(sent, 'outbound-rtp');
    decoded.samples.push([
      at,
      inbound?.framesDecoded ?? 0,
      pc.labId,
      {
        packets: inbound?.packetsReceived ?? 0,
        received: inbound?.framesReceived ?? 0,
        keyDecoded: inbound?.keyFramesDecoded ?? 0,
        pli: inbound?.pliCount ?? 0,
        nack: inbound?.nackCount ?? 0,
        encoded: outbound?.framesEncoded ?? 0,
        sent: outbound?.packetsSent ?? 0,
      },
    ]);
  }, intervalMs);
}

/** Every candidate pair of every open connection, for reports on calls that do not connect. */
async function pairs() {
  const out = [];
  for (const pc of connections) {
    if (pc.connectionState === 'closed' || !pc.remoteDescription) continue;
    const report = await pc.getStats();
    report.forEach((s) => {
      if (s.type !== 'candidate-pair') return;
      const local = report.get(s.localCandidateId);
      const remote = report.get(s.remoteCandidateId);
      out.push({
        pc: pc.labId,
        state: s.state,
        nominated: s.nominated,
        local: `${local?.candidateType}/${local?.protocol}${local?.relayProtocol ? `/${local.relayProtocol}` : ''}`,
        remote: `${remote?.candidateType}/${remote?.protocol} ${remote?.address ?? ''}:${remote?.port}`,
        sent: s.requestsSent,
        responses: s.responsesReceived,
        received: s.requestsReceived,
      });
    });
  }
  return out;
}

window.lab = {
  record,
  timeline,
  userAgent: navigator.userAgent,
  async join({ signaling, room, name, iceServers, relay, recoveryTimeout, receiveOnly, camera }) {
    // A host's own stream with no tracks: no capture and no encoding, for calls whose media is not what is measured.
    if (receiveOnly) call.localStream = new MediaStream();
    call.setAttribute('signaling', signaling);
    call.setAttribute('ice-servers', JSON.stringify(iceServers ?? []));
    call.setAttribute('relay', relay ?? 'allow');
    if (recoveryTimeout !== undefined) call.setAttribute('recovery-timeout', String(recoveryTimeout));
    call.room = room;
    call.name = name;
    await call.updateComplete;
    record.joinedAt = Date.now();
    note('join');
    // A host's own, smaller camera stream (`camera`: video constraints), for calls whose picture is not measured.
    if (camera && !receiveOnly)
      call.localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: camera });
    await call.join();
    return call.state;
  },
  state: () => call.state,
  /** What the lab polls while it waits: small, so polling many pages stays cheap. */
  snapshot: () => ({
    state: call.state,
    errors: record.errors.map(({ code, recoverable, at }) => ({ code, recoverable, at })),
    routes: record.routes.length,
    frames: record.frames.count,
    lastFrame: record.frames.last,
  }),
  stats,
  pairs,
  sampleDecoded,
  /** Samples from `since` on (ms since the epoch): the lab reads them several times a second during a change. */
  decoded: (since = 0) => decoded.samples.filter(([at]) => at >= since),
  leave() {
    call.leave();
  },
};
window.labReady = true;
