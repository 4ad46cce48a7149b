// In-page recorder for scripts/stress-connect.mjs, injected before any script of the page runs (so the bundle's
// peer library captures the wrapped RTCPeerConnection). It records every WebRTC call and event and every signaling
// frame (BroadcastChannel and WebSocket, both directions) on window.__timeline, stamped with
// performance.timeOrigin + performance.now() so the records of two pages of one browser can be merged.
// Diagnostics only: it changes nothing it wraps (arguments and results pass through untouched).
(() => {
  const events = [];
  const page = { label: window.__timelineLabel ?? '' };
  window.__timeline = { events, page };
  const stamp = () => performance.timeOrigin + performance.now();
  const record = (source, what, detail = {}) => events.push({ t: stamp(), page: page.label, source, what, ...detail });

  // "candidate:1 1 udp 2122260223 127.0.0.1 51234 typ host generation 0 ufrag AbCd ..." -> "udp 127.0.0.1:51234 host AbCd"
  const shortCandidate = (line) => {
    if (!line) return line;
    const parts = line.replace(/^a=/, '').split(' ');
    const ufrag = parts[parts.indexOf('ufrag') + 1];
    return `${parts[2]} ${parts[4]}:${parts[5]} ${parts[7]}${parts.includes('ufrag') ? ` ${ufrag}` : ''}`;
  };
  const sdpFacts = (sdp = '') => ({
    ufrag: /a=ice-ufrag:(\S+)/.exec(sdp)?.[1],
    sdpCandidates: (sdp.match(/^a=candidate:/gm) ?? []).length,
    endOfCandidates: /^a=end-of-candidates/m.test(sdp),
  });
  const payloadFacts = (payload) => {
    if (!payload || typeof payload !== 'object') return {};
    const facts = { payload: payload.type, link: payload.link };
    if (payload.sdp) Object.assign(facts, sdpFacts(payload.sdp));
    if (payload.candidate) facts.candidate = shortCandidate(payload.candidate.candidate);
    return facts;
  };

  // --- RTCPeerConnection -----------------------------------------------------------------------------------------
  const Native = window.RTCPeerConnection;
  const proto = Native.prototype;
  let pcCount = 0;
  const ids = new WeakMap();
  const pcState = (pc) =>
    `${pc.signalingState}/ice ${pc.iceConnectionState}/gathering ${pc.iceGatheringState}/${pc.connectionState}`;
  const pcRecord = (pc, what, detail) => record('pc', what, { pc: ids.get(pc), ...detail });

  class RecordedPeerConnection extends Native {
    constructor(config, ...rest) {
      super(config, ...rest);
      ids.set(this, `${page.label}${++pcCount}`);
      pcRecord(this, 'new', { pool: config?.iceCandidatePoolSize ?? 0, servers: config?.iceServers?.length ?? 0 });
      // Registered here, before the peer library sets its on* handlers: each record precedes the library's reaction.
      this.addEventListener('icecandidate', (event) =>
        pcRecord(this, 'icecandidate', {
          candidate: event.candidate ? shortCandidate(event.candidate.candidate) || '(empty: end of generation)' : null,
          hasLocalDescription: Boolean(this.localDescription),
          state: pcState(this),
        }),
      );
      for (const type of [
        'icegatheringstatechange',
        'iceconnectionstatechange',
        'signalingstatechange',
        'connectionstatechange',
      ]) {
        this.addEventListener(type, () => pcRecord(this, type, { state: pcState(this) }));
      }
      this.addEventListener('icecandidateerror', (event) =>
        pcRecord(this, 'icecandidateerror', { code: event.errorCode, text: event.errorText }),
      );
    }
  }
  const wrapAsync = (name, describeArgs, describeResult = () => ({})) => {
    const original = proto[name];
    proto[name] = function (...args) {
      const call = ++callCount;
      pcRecord(this, `${name}()`, { call, ...describeArgs(args, this) });
      const result = original.apply(this, args);
      if (result && typeof result.then === 'function') {
        result.then(
          (value) => pcRecord(this, `${name} ok`, { call, state: pcState(this), ...describeResult(value, this) }),
          (error) => pcRecord(this, `${name} FAILED`, { call, error: `${error?.name}: ${error?.message}` }),
        );
      }
      return result;
    };
  };
  let callCount = 0;
  const local = (_value, pc) => sdpFacts(pc.localDescription?.sdp);
  wrapAsync(
    'createOffer',
    () => ({}),
    (offer) => sdpFacts(offer?.sdp),
  );
  wrapAsync(
    'createAnswer',
    () => ({}),
    (answer) => sdpFacts(answer?.sdp),
  );
  wrapAsync(
    'setLocalDescription',
    ([description]) => ({ type: description?.type, ...sdpFacts(description?.sdp) }),
    local,
  );
  wrapAsync('setRemoteDescription', ([description]) => ({ type: description?.type, ...sdpFacts(description?.sdp) }));
  wrapAsync('addIceCandidate', ([candidate], pc) => ({
    candidate: candidate ? shortCandidate(candidate.candidate) || '(empty)' : null,
    hasRemoteDescription: Boolean(pc.remoteDescription),
  }));
  for (const name of ['setConfiguration', 'close', 'restartIce']) {
    const original = proto[name];
    proto[name] = function (...args) {
      pcRecord(this, `${name}()`, name === 'setConfiguration' ? { servers: args[0]?.iceServers?.length ?? 0 } : {});
      return original.apply(this, args);
    };
  }
  window.RTCPeerConnection = RecordedPeerConnection;

  // --- Signaling: BroadcastChannel -------------------------------------------------------------------------------
  const channelOwner = new WeakMap(); // channel -> the participant id that posts on it (from its first post)
  const envelopeFacts = (message) =>
    message && typeof message === 'object'
      ? { type: message.type, from: message.from, to: message.to, ...payloadFacts(message.payload) }
      : {};
  const NativeChannel = window.BroadcastChannel;
  class RecordedChannel extends NativeChannel {
    constructor(name) {
      super(name);
      this.addEventListener('message', (event) => {
        const facts = envelopeFacts(event.data);
        // Every member hears every envelope; one addressed to someone else is not a delivery.
        if (facts.to && channelOwner.has(this) && facts.to !== channelOwner.get(this)) return;
        record('wire', 'in', { via: 'broadcast', self: channelOwner.get(this), ...facts });
      });
    }
    postMessage(message) {
      if (!channelOwner.has(this) && message?.from) channelOwner.set(this, message.from);
      record('wire', 'out', { via: 'broadcast', self: message?.from, ...envelopeFacts(message) });
      return super.postMessage(message);
    }
  }
  window.BroadcastChannel = RecordedChannel;

  // --- Signaling: WebSocket --------------------------------------------------------------------------------------
  const socketOwner = new WeakMap();
  const frameFacts = (text) => {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return { type: '(not JSON)' };
    }
    const peers = frame.peers?.map((peer) => peer.id);
    const peer = typeof frame.peer === 'string' ? frame.peer : frame.peer?.id;
    return { type: frame.type, from: frame.from, to: frame.to, peer, peers, ...payloadFacts(frame.payload) };
  };
  const NativeSocket = window.WebSocket;
  class RecordedSocket extends NativeSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => record('wire', 'socket open', { via: 'ws', self: socketOwner.get(this) }));
      this.addEventListener('close', (event) =>
        record('wire', 'socket close', { via: 'ws', self: socketOwner.get(this), code: event.code }),
      );
      this.addEventListener('message', (event) =>
        record('wire', 'in', { via: 'ws', self: socketOwner.get(this), ...frameFacts(event.data) }),
      );
    }
    send(data) {
      const facts = frameFacts(data);
      if (facts.type === 'join') socketOwner.set(this, facts.peer);
      record('wire', 'out', { via: 'ws', self: socketOwner.get(this), readyState: this.readyState, ...facts });
      return super.send(data);
    }
  }
  window.WebSocket = RecordedSocket;

  // --- The elements' own events (they bubble and are composed) ----------------------------------------------------
  // Elements are named in the order they first report anything (the first one joined first).
  const labels = new WeakMap();
  let elementCount = 0;
  const elementLabel = (element) => {
    if (!labels.has(element)) labels.set(element, `${page.label}${String.fromCharCode(97 + elementCount++)}`);
    return labels.get(element);
  };
  document.addEventListener(
    'p2p-state-change',
    (event) =>
      record('element', 'state', {
        element: elementLabel(event.target),
        state: event.detail.state,
        previous: event.detail.previous,
      }),
    true,
  );
  for (const type of ['p2p-reconnecting', 'p2p-recovered', 'p2p-error', 'p2p-peer-join']) {
    document.addEventListener(
      type,
      (event) => record('element', type.slice(4), { element: elementLabel(event.target), detail: event.detail }),
      true,
    );
  }
})();
