// In-page side of the benchmark. Every measurement has two implementations that run in this same page, so they
// share one clock, one renderer and one machine state: the <p2p-call> element from the built bundle, and a raw
// RTCPeerConnection pair wired directly to each other (the physical limit the element is compared against).
// The Node harness (bench/run.mjs) calls these through page.evaluate(); each returns plain JSON.
import { audioContext, matchPulses, pulseDetector, pulseTrain } from './audio-pulses.js';
import { receiverWindow, senderWindow, snapshot } from './call-stats.js';
import { RAW_TUNED, beforeOffer, mungeDescription, tuneReceiver, tuneSenders, tuningNamed } from './raw-tuning.js';

const stage = document.getElementById('stage');
const ICE_SERVERS = []; // loopback host candidates only: never a public STUN host
// Generous: on a loaded 2-core machine a call can take seconds to set up; a timeout here means the harness broke.
const SETUP_TIMEOUT_MS = 30000;
/** What the element asks getUserMedia for (src/session/media.ts); the raw baseline asks for the same. */
const CAMERA_CONSTRAINTS = { audio: true, video: { width: { ideal: 1280 }, height: { ideal: 720 } } };

// The connections the elements make (each opens its data channels right away; the bundle holds its own reference to
// the constructor, so the prototype is where to look), so that a call that never connects can say how far its
// connections got. Diagnostics only: nothing is changed on them.
const connections = [];
const createDataChannel = RTCPeerConnection.prototype.createDataChannel;
RTCPeerConnection.prototype.createDataChannel = function (...args) {
  if (!connections.includes(this)) connections.push(this);
  return createDataChannel.apply(this, args);
};
const setLocalDescription = RTCPeerConnection.prototype.setLocalDescription;
RTCPeerConnection.prototype.setLocalDescription = function (...args) {
  if (!connections.includes(this)) connections.push(this);
  return setLocalDescription.apply(this, args);
};
const describeConnections = (since) =>
  connections
    .slice(since)
    .map(
      (pc) =>
        `${pc.signalingState}/ice ${pc.iceConnectionState}/${pc.connectionState}/gathering ${pc.iceGatheringState}/sctp ${pc.sctp?.state ?? '-'}`,
    )
    .join('; ');

let counter = 0;
let litUpdates = 0; // Lit update() calls of every <p2p-call> in the page (see countLitUpdates)
const uniqueRoom = (tag) => `bench-${tag}-${Date.now().toString(36)}-${++counter}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

function stopStream(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Resolves at the first frame the video presents (requestVideoFrameCallback), with the time it was presented. */
function firstFrame(video) {
  return new Promise((resolve) => video.requestVideoFrameCallback(() => resolve(now())));
}

function makeVideo() {
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  return video;
}

// ---------------------------------------------------------------------------------------------------------------
// Timestamp canvas: every animation frame paints performance.now() as an 8x8 grid of black/white blocks (32 bits
// of time in 0.1 ms units, then their complement as a check), big enough to survive VP8 at a low start bitrate.
// With `detail`, the grid takes the left half and the right half shows fresh grey noise every frame: content that
// asks the encoder for more bits than a constrained link carries (as a camera picture does), where the grid alone
// would fit in a few hundred kbit/s.

const GRID = 8;
const BITS = 32;
const NOISE_FRAMES = 6;

function noiseFrames(context, width, height) {
  return Array.from({ length: NOISE_FRAMES }, () => {
    const image = context.createImageData(width, height);
    const values = new Uint8Array(width * height);
    for (let offset = 0; offset < values.length; offset += 65536) {
      crypto.getRandomValues(values.subarray(offset, Math.min(values.length, offset + 65536)));
    }
    for (let i = 0; i < values.length; i++) {
      const grey = 64 + (values[i] >> 1); // 64..191: noise, not full-swing snow
      image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = grey;
      image.data[i * 4 + 3] = 255;
    }
    return image;
  });
}

function stampCanvas({ width = 320, height = 240, fps = 60, detail = false } = {}) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const gridWidth = detail ? width / 2 : width;
  const blockWidth = gridWidth / GRID;
  const blockHeight = height / GRID;
  const noise = detail ? noiseFrames(context, width - gridWidth, height) : [];
  let frame = 0;
  let painted = 0;
  const paint = () => {
    const value = Math.round(now() * 10) >>> 0;
    for (let i = 0; i < GRID * GRID; i++) {
      const bit = i < BITS ? (value >>> i) & 1 : (~value >>> (i - BITS)) & 1;
      context.fillStyle = bit ? '#fff' : '#000';
      context.fillRect((i % GRID) * blockWidth, Math.floor(i / GRID) * blockHeight, blockWidth, blockHeight);
    }
    if (noise.length) context.putImageData(noise[painted++ % noise.length], gridWidth, 0);
    frame = requestAnimationFrame(paint);
  };
  paint();
  const stream = canvas.captureStream(fps);
  return {
    stream,
    stop() {
      cancelAnimationFrame(frame);
      stopStream(stream);
    },
  };
}

/**
 * Reads the painted timestamp (ms) back from a video's current frame; undefined when the check bits disagree.
 * `gridShare`: the share of the frame's width the grid takes (1/2 for a `detail` canvas).
 */
function makeStampDecoder(gridShare = 1) {
  const size = GRID * 8;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return (video) => {
    if (gridShare === 1) context.drawImage(video, 0, 0, size, size);
    else context.drawImage(video, 0, 0, video.videoWidth * gridShare, video.videoHeight, 0, 0, size, size);
    const pixels = context.getImageData(0, 0, size, size).data;
    let low = 0;
    let high = 0;
    for (let i = 0; i < GRID * GRID; i++) {
      const x = (i % GRID) * 8 + 4;
      const y = Math.floor(i / GRID) * 8 + 4;
      const bit = pixels[(y * size + x) * 4 + 1] > 127 ? 1 : 0; // green: the channel with the most luma
      if (i < BITS) low |= bit << i;
      else high |= bit << (i - BITS);
    }
    return (low ^ high) >>> 0 === 0xffffffff ? (low >>> 0) / 10 : undefined;
  };
}

/**
 * Glass-to-glass samples from a video showing a stamp canvas: for each presented frame (requestVideoFrameCallback),
 * the time it is presented minus the time its content was painted. Frames in the first `warmupMs` are dropped
 * (the encoder ramps its bitrate up at the start of every call).
 */
function collectLatency(video, { warmupMs, durationMs, gridShare = 1 }) {
  const decode = makeStampDecoder(gridShare);
  return new Promise((resolve) => {
    const samples = [];
    const heights = []; // of each presented frame
    const displaySamples = [];
    // Painted -> decoded, from the frame's own metadata (when its last packet arrived, plus decode time): the part of
    // the path a call's code can change, and not rounded to display refreshes as the presented time is.
    const decodedSamples = [];
    let frames = 0;
    let undecodable = 0;
    let last;
    const start = now();
    const onFrame = (_time, metadata) => {
      const presented = now();
      const elapsed = presented - start;
      if (elapsed > warmupMs + durationMs) {
        resolve({ samples, displaySamples, decodedSamples, frames, undecodable, heights });
        return;
      }
      const stamp = decode(video);
      if (elapsed >= warmupMs) {
        frames++;
        heights.push(metadata.height);
        if (stamp === undefined) undecodable++;
        else if (stamp !== last) {
          samples.push(presented - stamp);
          displaySamples.push(metadata.expectedDisplayTime - stamp);
          if (metadata.receiveTime !== undefined && metadata.processingDuration !== undefined) {
            decodedSamples.push(metadata.receiveTime + metadata.processingDuration * 1000 - stamp);
          }
        }
      }
      last = stamp;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The raw baseline: two RTCPeerConnections in this page, candidates and descriptions handed over directly.
// `ice`: { a, b } per side, { iceServers, relay: 'only' } for a relayed call (the element takes the same).
// `tuning`: settings beyond the browser's defaults (raw-tuning.js), for the raw-tuned variant only.

const rtcConfig = (side) => ({
  iceServers: side?.iceServers ?? ICE_SERVERS,
  iceTransportPolicy: side?.relay === 'only' ? 'relay' : 'all',
});

function rawPair({ streamA, streamB, dataChannel = true, ice = {}, tuning } = {}) {
  const pcs = [new RTCPeerConnection(rtcConfig(ice.a)), new RTCPeerConnection(rtcConfig(ice.b))];
  const pending = [[], []];
  const deliver = (index, candidate) => {
    const pc = pcs[index];
    if (pc.remoteDescription) pc.addIceCandidate(candidate).catch(() => {});
    else pending[index].push(candidate);
  };
  const flush = (index) => {
    for (const candidate of pending[index].splice(0)) pcs[index].addIceCandidate(candidate).catch(() => {});
  };
  pcs[0].onicecandidate = (event) => event.candidate && deliver(1, event.candidate);
  pcs[1].onicecandidate = (event) => event.candidate && deliver(0, event.candidate);
  // Separate streams (a tuning): each track in a stream of its own, so the receiver does not synchronise them.
  const streamOf = (stream, track) => (tuning?.separateStreams ? new MediaStream([track]) : stream);
  for (const track of streamA?.getTracks() ?? []) pcs[0].addTrack(track, streamOf(streamA, track));
  for (const track of streamB?.getTracks() ?? []) pcs[1].addTrack(track, streamOf(streamB, track));
  const remote = [0, 1].map(
    (index) =>
      new Promise((resolve) => {
        // With separate streams the receiver gets one stream per track: it plays them as one.
        const together = new MediaStream();
        pcs[index].ontrack = (event) => {
          if (tuning) tuneReceiver(event.receiver, tuning);
          together.addTrack(event.track);
          resolve(tuning?.separateStreams ? together : event.streams[0]);
        };
      }),
  );
  let channels = Promise.resolve([]);
  if (dataChannel) {
    const channelA = pcs[0].createDataChannel('bench');
    channelA.binaryType = 'arraybuffer';
    const channelB = new Promise((resolve) => (pcs[1].ondatachannel = (event) => resolve(event.channel)));
    channels = channelB.then(async (b) => {
      b.binaryType = 'arraybuffer';
      await Promise.all([channelA, b].map((channel) => (channel.readyState === 'open' ? null : once(channel, 'open'))));
      return [channelA, b];
    });
  }
  const pcConnected = (pc) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (pc.connectionState === 'connected') resolve();
        else if (pc.connectionState === 'failed') reject(new Error('raw peer connection failed'));
      };
      pc.addEventListener('connectionstatechange', check);
      check();
    });
  // A receiver's description tells the sender what to send (Opus fmtp), so a tuning rewrites each description as
  // the other side receives it.
  const remoteDescription = (description) => (tuning ? mungeDescription(description, tuning) : description);
  const negotiated = (async () => {
    if (tuning) beforeOffer(pcs[0], tuning);
    await pcs[0].setLocalDescription(await pcs[0].createOffer());
    await pcs[1].setRemoteDescription(remoteDescription(pcs[0].localDescription));
    flush(1);
    await pcs[1].setLocalDescription(await pcs[1].createAnswer());
    await pcs[0].setRemoteDescription(remoteDescription(pcs[1].localDescription));
    flush(0);
    if (tuning) await tuneSenders(pcs[0], tuning);
  })();
  // "Connected" means what the element means by it: transport up and the data channel open on both sides.
  const connected = negotiated.then(() => Promise.all([pcConnected(pcs[0]), pcConnected(pcs[1]), channels]));
  return {
    pcs,
    connected,
    channels,
    remoteOfA: remote[0],
    remoteOfB: remote[1],
    close() {
      for (const pc of pcs) pc.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The element under test: two <p2p-call> elements in this page, in one fresh room.

function waitForState(element, state) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (element.state === state) {
        element.removeEventListener('p2p-state-change', check);
        resolve(now());
      } else if (element.state === 'error') {
        element.removeEventListener('p2p-state-change', check);
        reject(new Error(`element went to the error state while waiting for ${state}`));
      }
    };
    element.addEventListener('p2p-state-change', check);
    check();
  });
}

function makeElement({ room, signaling, localStream, remoteVideo, ice }) {
  const element = document.createElement('p2p-call');
  element.room = room;
  element.signaling = signaling;
  if (ice?.iceServers) element.iceServers = ice.iceServers;
  else element.setAttribute('ice-servers', '[]');
  if (ice?.relay) element.relay = ice.relay;
  if (localStream) element.localStream = localStream;
  if (remoteVideo) {
    remoteVideo.slot = 'remote';
    element.append(remoteVideo);
  }
  const errors = [];
  element.addEventListener('p2p-error', (event) => errors.push(event.detail));
  element.benchErrors = errors;
  // When each state was first reached: where the time to connect goes (signaling, then negotiation).
  element.benchTimeline = {};
  element.addEventListener('p2p-state-change', (event) => (element.benchTimeline[event.detail.state] ??= now()));
  return element;
}

/** Two elements in one room, joined at once; resolves when both are connected. */
async function elementPair({
  signaling = 'broadcast',
  localA,
  localB,
  remoteVideoA,
  remoteVideoB,
  timeoutMs = SETUP_TIMEOUT_MS,
  ice = {},
}) {
  const room = uniqueRoom('el');
  const firstConnection = connections.length;
  const a = makeElement({ room, signaling, localStream: localA, remoteVideo: remoteVideoA, ice: ice.a });
  const b = makeElement({ room, signaling, localStream: localB, remoteVideo: remoteVideoB, ice: ice.b });
  stage.append(a, b);
  const connected = Promise.all([waitForState(a, 'connected'), waitForState(b, 'connected')]);
  void a.join();
  void b.join();
  await withTimeout(connected, timeoutMs, 'both elements connected').catch((error) => {
    const details = [...a.benchErrors, ...b.benchErrors].map((e) => `${e.code}: ${e.message}`).join('; ');
    const links = describeConnections(firstConnection);
    throw new Error(
      `${error.message} (states ${a.state}/${b.state}${details ? `; ${details}` : ''}; connections: ${links || 'none'})`,
    );
  });
  return {
    a,
    b,
    firstConnection,
    close() {
      a.leave();
      b.leave();
      a.remove();
      b.remove();
    },
  };
}

const noMedia = () => new MediaStream();

// ---------------------------------------------------------------------------------------------------------------
// 1. Glass-to-glass latency

async function latency({ impl, warmupMs, durationMs }) {
  const stamp = stampCanvas();
  const video = makeVideo();
  let teardown = () => {};
  try {
    if (impl === 'element') {
      const pair = await elementPair({ localA: stamp.stream, localB: noMedia(), remoteVideoB: video });
      teardown = () => pair.close();
    } else {
      const pair = rawPair({ streamA: stamp.stream });
      teardown = () => pair.close();
      stage.append(video);
      await withTimeout(pair.connected, SETUP_TIMEOUT_MS, 'raw pair connected');
      video.srcObject = await pair.remoteOfB;
    }
    await withTimeout(firstFrame(video), SETUP_TIMEOUT_MS, 'first remote frame');
    return await collectLatency(video, { warmupMs, durationMs });
  } finally {
    teardown();
    video.remove();
    stamp.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Time to connected and to the first remote frame, fake camera and microphone on both sides. Both sides'
// streams are acquired before the clock starts (the fake devices take anywhere from 5 ms to 2 s to open, which would
// drown the difference being measured); the element gets them as `localStream`, exactly like a host's own camera.
// As the issue defines it, the element's clock starts when both are in the room (joined) and the raw pair's when it
// starts its offer. The time from join() is kept as well: over the WebSocket server it includes opening the socket.

async function connect({ impl, signaling, timeoutMs = SETUP_TIMEOUT_MS }) {
  const videoA = makeVideo();
  const videoB = makeVideo();
  const framesA = firstFrame(videoA);
  const framesB = firstFrame(videoB);
  const [streamA, streamB] = await Promise.all([
    navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS),
    navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS),
  ]);
  let teardown = () => {};
  const result = {};
  try {
    let connectedAt;
    let origin;
    const start = now();
    if (impl === 'element') {
      const pair = await elementPair({
        signaling,
        localA: streamA,
        localB: streamB,
        remoteVideoA: videoA,
        remoteVideoB: videoB,
        timeoutMs,
      });
      connectedAt = now();
      teardown = () => pair.close();
      const reached = (state) =>
        Math.max(...[pair.a, pair.b].map((element) => element.benchTimeline[state] ?? Number.NaN));
      origin = reached('waiting'); // the later of the two joins
      if (!Number.isFinite(origin)) throw new Error('an element reached connected without passing waiting');
      result.fromJoinMs = connectedAt - start;
      result.inRoomMs = origin - start; // from join(): both joined
      result.peerFoundMs = reached('connecting') - start; // from join(): both know the other, a link is opening
    } else {
      stage.append(videoA, videoB);
      origin = start;
      const pair = rawPair({ streamA, streamB });
      teardown = () => pair.close();
      void pair.remoteOfA.then((stream) => (videoA.srcObject = stream));
      void pair.remoteOfB.then((stream) => (videoB.srcObject = stream));
      await withTimeout(pair.connected, timeoutMs, 'raw pair connected');
      connectedAt = now();
    }
    const frames = await withTimeout(Promise.all([framesA, framesB]), timeoutMs, 'first remote frames');
    return { ...result, connectedMs: connectedAt - origin, firstFrameMs: Math.max(...frames) - origin };
  } finally {
    teardown();
    stopStream(streamA);
    stopStream(streamB);
    videoA.remove();
    videoB.remove();
    await sleep(150); // let the "bye" and the closing transports settle before the next round
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. File throughput

const RAW_CHUNK_BYTES = 64 * 1024;
const RAW_LOW_WATER = 256 * 1024;
const RAW_HIGH_WATER = 1024 * 1024;
const READ_SLICE_BYTES = 1024 * 1024;

function makeFile(bytes) {
  // One random MiB repeated: incompressible enough, and generated in a few milliseconds.
  const block = new Uint8Array(Math.min(bytes, 1024 * 1024));
  for (let offset = 0; offset < block.length; offset += 65536) {
    crypto.getRandomValues(block.subarray(offset, Math.min(block.length, offset + 65536)));
  }
  const parts = [];
  for (let left = bytes; left > 0; left -= block.length)
    parts.push(left >= block.length ? block : block.subarray(0, left));
  return new File(parts, 'bench.bin', { type: 'application/octet-stream' });
}

/** The smallest step performance.now() advances by in this page. */
function clockStep() {
  let step = Infinity;
  for (let i = 0; i < 20; i++) {
    const start = now();
    let next = now();
    while (next === start) next = now();
    step = Math.min(step, next - start);
  }
  return step;
}

function featureCheck() {
  const element = document.createElement('p2p-call');
  return {
    defined: Boolean(customElements.get('p2p-call')),
    send: typeof element.send === 'function',
    sendFile: typeof element.sendFile === 'function',
    // The page server sends COOP + COEP: an isolated page's clock ticks in 5 µs steps, otherwise in 100 µs.
    crossOriginIsolated: window.crossOriginIsolated,
    clockStepMs: clockStep(),
  };
}

async function fileTransfer({ impl, bytes, timeoutMs }) {
  const file = makeFile(bytes);
  if (impl === 'element') {
    const pair = await elementPair({ localA: noMedia(), localB: noMedia() });
    try {
      if (typeof pair.a.sendFile !== 'function') return { unavailable: 'element.sendFile() is not in this build' };
      const received = new Promise((resolve) =>
        pair.b.addEventListener('p2p-file-received', (event) => resolve({ at: now(), detail: event.detail }), {
          once: true,
        }),
      );
      const start = now();
      const result = await withTimeout(Promise.resolve(pair.a.sendFile(file)), timeoutMs, 'sendFile() to resolve');
      const sentAt = now();
      if (result && typeof result === 'object' && 'status' in result && result.status !== 'delivered') {
        throw new Error(
          `sendFile() resolved with status ${result.status}${result.reason ? ` (${result.reason})` : ''}`,
        );
      }
      const { at, detail } = await withTimeout(received, timeoutMs, 'p2p-file-received');
      const size = detail?.file?.size;
      if (size !== bytes) throw new Error(`received ${size} bytes, expected ${bytes}`);
      return { bytes, ms: Math.max(sentAt, at) - start, sendResolvedMs: sentAt - start, receivedMs: at - start };
    } finally {
      pair.close();
    }
  }
  const pair = rawPair({});
  try {
    const [sender, receiver] = await withTimeout(pair.channels, SETUP_TIMEOUT_MS, 'raw data channel open');
    const received = new Promise((resolve) => {
      const parts = [];
      let count = 0;
      receiver.onmessage = (event) => {
        parts.push(event.data);
        count += event.data.byteLength;
        // The clock stops once the File exists, as the element's does (it fires p2p-file-received with the File).
        if (count >= bytes) {
          const file = new File(parts, 'bench.bin');
          resolve({ at: now(), file });
        }
      };
    });
    sender.bufferedAmountLowThreshold = RAW_LOW_WATER;
    const start = now();
    for (let offset = 0; offset < bytes; offset += READ_SLICE_BYTES) {
      const buffer = new Uint8Array(await file.slice(offset, offset + READ_SLICE_BYTES).arrayBuffer());
      for (let chunk = 0; chunk < buffer.length; chunk += RAW_CHUNK_BYTES) {
        if (sender.bufferedAmount > RAW_HIGH_WATER) await once(sender, 'bufferedamountlow');
        sender.send(buffer.subarray(chunk, chunk + RAW_CHUNK_BYTES));
      }
    }
    const { at, file: got } = await withTimeout(received, timeoutMs, 'raw transfer complete');
    if (got.size !== bytes) throw new Error(`received ${got.size} bytes, expected ${bytes}`);
    return { bytes, ms: at - start, receivedMs: at - start };
  } finally {
    pair.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. App-data echo round trip, 64-byte messages

const PAYLOAD_BYTES = 64;

function payload(seq) {
  const base = JSON.stringify({ seq, pad: '' }).length;
  return { seq, pad: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - base)) };
}

async function echo({ impl, count, warmup }) {
  let send;
  let teardown;
  const replies = new Map();
  const settle = (seq) => {
    replies.get(seq)?.();
    replies.delete(seq);
  };
  if (impl === 'element') {
    const pair = await elementPair({ localA: noMedia(), localB: noMedia() });
    teardown = () => pair.close();
    if (typeof pair.a.send !== 'function') {
      teardown();
      return { unavailable: 'element.send() is not in this build' };
    }
    pair.b.addEventListener('p2p-data', (event) => pair.b.send(event.detail.data));
    pair.a.addEventListener('p2p-data', (event) => settle(event.detail.data?.seq));
    send = (seq) => pair.a.send(payload(seq));
  } else {
    const pair = rawPair({});
    teardown = () => pair.close();
    const [a, b] = await withTimeout(pair.channels, SETUP_TIMEOUT_MS, 'raw data channel open');
    b.onmessage = (event) => b.send(event.data);
    a.onmessage = (event) => settle(JSON.parse(event.data).seq);
    send = (seq) => a.send(JSON.stringify(payload(seq)));
  }
  countLitUpdates();
  try {
    const samples = [];
    let updatesAtStart = litUpdates;
    for (let seq = 0; seq < warmup + count; seq++) {
      if (seq === warmup) updatesAtStart = litUpdates;
      const reply = new Promise((resolve) => replies.set(seq, resolve));
      const start = now();
      send(seq);
      await withTimeout(reply, 5000, `echo ${seq}`);
      if (seq >= warmup) samples.push(now() - start);
    }
    // Lit updates of both elements per round trip: 0 would mean app data never re-renders the element.
    return { samples, litUpdatesPerRoundTrip: impl === 'element' ? (litUpdates - updatesAtStart) / count : undefined };
  } finally {
    teardown();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 7. Render cost: set up a connected call and leave it running; the harness samples main-thread metrics over CDP.

let running;

function countLitUpdates() {
  const proto = customElements.get('p2p-call')?.prototype;
  if (!proto || proto.benchCounted) return;
  const update = proto.update;
  proto.update = function (...args) {
    litUpdates++;
    return update.apply(this, args);
  };
  proto.benchCounted = true;
}

/** impl: 'element' (two elements, built-in views), 'raw' (two remote videos) or 'raw-tiles' (remote + local previews). */
async function startCall({ impl }) {
  countLitUpdates();
  if (impl === 'element') {
    const pair = await elementPair({});
    // The built-in remote videos get their stream on the render after it arrives: wait for that, then a frame.
    const deadline = now() + SETUP_TIMEOUT_MS;
    const remoteVideo = async (element) => {
      while (now() < deadline) {
        const video = element.shadowRoot.querySelector('video.remote-video');
        if (video?.srcObject) return video;
        await sleep(20);
      }
      throw new Error('the built-in remote video never got a stream');
    };
    const remote = Promise.all([remoteVideo(pair.a), remoteVideo(pair.b)]).then((videos) =>
      Promise.all(videos.map(firstFrame)),
    );
    await withTimeout(remote, SETUP_TIMEOUT_MS, 'remote frames');
    running = () => pair.close();
  } else {
    const [streamA, streamB] = await Promise.all([
      navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS),
      navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS),
    ]);
    const pair = rawPair({ streamA, streamB });
    await withTimeout(pair.connected, SETUP_TIMEOUT_MS, 'raw pair connected');
    const videos = [makeVideo(), makeVideo()];
    videos[0].srcObject = await pair.remoteOfA;
    videos[1].srcObject = await pair.remoteOfB;
    if (impl === 'raw-tiles') {
      const previews = [makeVideo(), makeVideo()];
      previews[0].srcObject = streamA;
      previews[1].srcObject = streamB;
      videos.push(...previews);
    }
    stage.append(...videos);
    await withTimeout(Promise.all(videos.slice(0, 2).map(firstFrame)), SETUP_TIMEOUT_MS, 'remote frames');
    running = () => {
      pair.close();
      stopStream(streamA);
      stopStream(streamB);
      for (const video of videos) video.remove();
    };
  }
  litUpdates = 0;
}

function litUpdateCount() {
  return litUpdates;
}

function stopCall() {
  running?.();
  running = undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// 8. Audio mouth-to-ear and 9. impaired networks: one call carrying what a call carries, a picture and a voice in
// one stream (so the receiver keeps them in sync, as it does a camera and a microphone): the timestamp canvas at
// 640×360 with a detail half, 30 fps, and a generated microphone track of 10 ms tone bursts every `periodMs`.
// Measured on the receiving side over `durationMs` after `warmupMs`: video glass-to-glass per frame, audio
// mouth-to-ear per burst (both on the page's clocks), and the receiver's and sender's getStats over the same window.

const AV_VIDEO = { width: 640, height: 360, fps: 30, detail: true };

/** The element's connections that carry the call: the receiver holds the remote video track, the sender its own. */
function elementConnections(since, remoteVideoTrack) {
  const live = connections.slice(since).filter((pc) => pc.connectionState === 'connected');
  const receiver = live.find((pc) => pc.getReceivers().some((r) => r.track === remoteVideoTrack));
  const sender = live.find((pc) => pc !== receiver && pc.getSenders().some((s) => s.track?.kind === 'video'));
  if (!receiver || !sender) throw new Error(`the element's connections were not found (${describeConnections(since)})`);
  return { receiver, sender };
}

async function until(check, what, timeoutMs = SETUP_TIMEOUT_MS) {
  const deadline = now() + timeoutMs;
  while (!check()) {
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(20);
  }
}

async function avCall({ impl, ice = {}, tuning: tuningName, warmupMs, durationMs, periodMs = 300 }) {
  const tuning = impl === 'raw-tuned' ? (tuningName ?? RAW_TUNED) : undefined;
  const context = await audioContext();
  const stamp = stampCanvas(AV_VIDEO);
  const pulses = pulseTrain(context, { periodMs });
  const local = new MediaStream([...stamp.stream.getVideoTracks(), pulses.track]);
  const video = makeVideo();
  let teardown = () => {};
  let detector;
  try {
    const setupStart = now();
    let pcs;
    if (impl === 'element') {
      const pair = await elementPair({ localA: local, localB: noMedia(), remoteVideoB: video, ice });
      teardown = () => pair.close();
      await until(() => video.srcObject?.getVideoTracks().length, 'the remote stream on the slotted video');
      pcs = () => elementConnections(pair.firstConnection, video.srcObject.getVideoTracks()[0]);
    } else {
      const pair = rawPair({ streamA: local, ice, tuning: tuning && tuningNamed(tuning) });
      teardown = () => pair.close();
      stage.append(video);
      await withTimeout(pair.connected, SETUP_TIMEOUT_MS, 'raw pair connected');
      video.srcObject = await pair.remoteOfB;
      pcs = () => ({ receiver: pair.pcs[1], sender: pair.pcs[0] });
    }
    await withTimeout(firstFrame(video), SETUP_TIMEOUT_MS, 'first remote frame');
    const firstFrameMs = now() - setupStart;
    const remote = video.srcObject;
    await until(() => remote.getAudioTracks().length, 'the remote audio track');
    // Chromium feeds a remote track to WebAudio only while a media element plays it: the (muted) video does.
    detector = pulseDetector(context, remote);
    const { receiver, sender } = pcs();
    await sleep(warmupMs);
    const [rx0, tx0] = await Promise.all([snapshot(receiver), snapshot(sender)]);
    const from = context.currentTime;
    const frames = await collectLatency(video, { warmupMs: 0, durationMs, gridShare: 1 / 2 });
    const to = context.currentTime;
    const [rx1, tx1] = await Promise.all([snapshot(receiver), snapshot(sender)]);
    return {
      tuning,
      firstFrameMs,
      video: { ...frames, decodedSamples: undefined },
      audio: matchPulses(pulses.sends, detector.onsets, { from, to, periodMs }),
      receiver: receiverWindow(rx0, rx1),
      sender: senderWindow(tx0, tx1),
    };
  } finally {
    detector?.stop();
    teardown();
    video.remove();
    stamp.stop();
    pulses.stop();
    await sleep(150); // let the "bye" and the closing transports settle before the next call
  }
}

/**
 * The measurement's own floor: the burst track straight into the detector in the same AudioContext, no WebRTC in
 * between (the generator's MediaStream track and WebAudio's input buffering from a track, which every call pays too).
 */
async function audioFloor({ durationMs, periodMs = 300 }) {
  const context = await audioContext();
  const pulses = pulseTrain(context, { periodMs });
  const detector = pulseDetector(context, new MediaStream([pulses.track]));
  try {
    const from = context.currentTime;
    await sleep(durationMs);
    return matchPulses(pulses.sends, detector.onsets, { from, to: context.currentTime, periodMs });
  } finally {
    detector.stop();
    pulses.stop();
  }
}

window.bench = {
  audioFloor,
  avCall,
  latency,
  connect,
  fileTransfer,
  echo,
  featureCheck,
  startCall,
  stopCall,
  litUpdateCount,
};
