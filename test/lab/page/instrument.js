// Loaded before the element's bundle, as a classic script: keeps a handle on every RTCPeerConnection and WebSocket
// the page makes, with a timeline of their states, so the lab can read getStats and tell what the signaling socket
// and ICE did around a network change. It only observes: every object behaves exactly as the browser's own.
(() => {
  const timeline = [];
  const note = (what, detail = {}) => timeline.push({ at: Date.now(), what, ...detail });
  const connections = [];
  let pcCount = 0;
  let socketCount = 0;

  /** How many TURN URLs a configuration names (the lab checks the server's credentials reach every link). */
  const turnUrls = (config) =>
    (config?.iceServers ?? []).flatMap((server) => [server.urls].flat()).filter((url) => /^turns?:/u.test(url)).length;

  const NativePeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePeerConnection {
    constructor(...args) {
      super(...args);
      const id = ++pcCount;
      this.labId = id;
      connections.push(this);
      const policy = args[0]?.iceTransportPolicy ?? 'all';
      note('pc-created', { pc: id, policy, turn: turnUrls(args[0]) });
      this.addEventListener('iceconnectionstatechange', () => note('ice', { pc: id, state: this.iceConnectionState }));
      this.addEventListener('connectionstatechange', () => note('pc', { pc: id, state: this.connectionState }));
      this.addEventListener('icegatheringstatechange', () =>
        note('gathering', { pc: id, state: this.iceGatheringState }),
      );
      this.addEventListener('icecandidate', (event) => {
        const c = event.candidate;
        if (c?.candidate)
          note('local-candidate', {
            pc: id,
            type: c.type,
            protocol: c.protocol,
            relayProtocol: c.relayProtocol ?? undefined,
            address: c.address,
            port: c.port,
          });
      });
      this.addEventListener('icecandidateerror', (event) =>
        note('candidate-error', { pc: id, url: event.url, code: event.errorCode, text: event.errorText }),
      );
    }

    setConfiguration(config) {
      note('pc-config', { pc: this.labId, policy: config?.iceTransportPolicy ?? 'all', turn: turnUrls(config) });
      return super.setConfiguration(config);
    }

    // When each step of a negotiation starts and ends: where a new connection's time goes before ICE starts.
    createOffer(...args) {
      return this.#step('create-offer', () => super.createOffer(...args));
    }

    createAnswer(...args) {
      return this.#step('create-answer', () => super.createAnswer(...args));
    }

    setLocalDescription(...args) {
      return this.#step(`set-local ${args[0]?.type ?? ''}`.trim(), () => super.setLocalDescription(...args));
    }

    setRemoteDescription(...args) {
      return this.#step(`set-remote ${args[0]?.type ?? ''}`.trim(), () => super.setRemoteDescription(...args));
    }

    #step(step, run) {
      note('sdp', { pc: this.labId, step, phase: 'start' });
      const done = () => note('sdp', { pc: this.labId, step, phase: 'done' });
      const result = run();
      result.then(done, done);
      return result;
    }

    addIceCandidate(candidate, ...rest) {
      const text = candidate?.candidate;
      if (text) {
        const type = / typ (\w+)/u.exec(text)?.[1];
        const protocol = text.split(' ')[2]?.toLowerCase();
        note('remote-candidate', { pc: this.labId, type, protocol });
      }
      return super.addIceCandidate(candidate, ...rest);
    }
  };

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      const id = ++socketCount;
      note('ws-connecting', { ws: id });
      this.addEventListener('open', () => note('ws-open', { ws: id }));
      this.addEventListener('error', () => note('ws-error', { ws: id }));
      this.addEventListener('close', (event) => note('ws-close', { ws: id, code: event.code, clean: event.wasClean }));
    }
  };

  for (const name of ['online', 'offline']) window.addEventListener(name, () => note(name));
  navigator.connection?.addEventListener('change', () =>
    note('connection-change', { type: navigator.connection.type }),
  );

  window.labInstrument = { timeline, connections, note };
})();
