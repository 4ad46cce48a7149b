// Demo page wiring, shared by index.html (WebSocket) and broadcast.html (BroadcastChannel).
// Everything a call needs is the <p2p-call> element and its attributes; this file only fills the room and name
// fields, keeps the URL shareable and logs the element's events.
(() => {
  const call = document.querySelector('p2p-call');
  const roomInput = document.getElementById('room');
  const nameInput = document.getElementById('name');
  const copyButton = document.getElementById('copy-link');
  const secondTab = document.getElementById('second-tab');
  const stateBadge = document.getElementById('state');
  const hint = document.getElementById('hint');
  const waitingHint = hint.innerHTML;
  const log = document.getElementById('log');
  const clearLog = document.getElementById('clear-log');

  // The same rule the signaling server applies to room names.
  const ROOM_PATTERN = /^[\w.:-]{1,128}$/u;
  const ADJECTIVES = [
    'amber',
    'brisk',
    'calm',
    'dusty',
    'eager',
    'fuzzy',
    'gentle',
    'hazel',
    'ivory',
    'jolly',
    'lucky',
    'misty',
    'nimble',
    'olive',
    'plum',
    'quiet',
    'rapid',
    'sunny',
    'tidy',
    'velvet',
  ];
  const NOUNS = [
    'otter',
    'falcon',
    'maple',
    'harbor',
    'comet',
    'lantern',
    'meadow',
    'pebble',
    'canyon',
    'willow',
    'ember',
    'island',
    'tundra',
    'badger',
    'orchid',
    'glacier',
    'sparrow',
    'cedar',
    'bison',
    'lagoon',
  ];
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const randomRoom = () => `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(Math.random() * 90) + 10}`;

  // ---- room: from ?room=, else a random one; the URL always carries it so it can be shared ----
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('room');
  const initialRoom = fromUrl && ROOM_PATTERN.test(fromUrl) ? fromUrl : randomRoom();

  const roomUrl = (room) => {
    const url = new URL(location.href);
    url.search = '';
    url.hash = '';
    url.searchParams.set('room', room);
    return url.href;
  };

  const applyRoom = (room) => {
    call.setAttribute('room', room);
    history.replaceState(null, '', roomUrl(room));
    secondTab.href = roomUrl(room);
  };

  roomInput.value = initialRoom;
  applyRoom(initialRoom);

  roomInput.addEventListener('input', () => {
    const room = roomInput.value.trim();
    if (ROOM_PATTERN.test(room)) applyRoom(room);
  });

  copyButton.addEventListener('click', async () => {
    const url = roomUrl(call.getAttribute('room'));
    const original = copyButton.textContent;
    try {
      await navigator.clipboard.writeText(url);
      copyButton.textContent = 'Copied!';
    } catch {
      // No clipboard access (an insecure origin, a denied permission): let the person copy it by hand.
      window.prompt('Copy this link:', url);
    }
    setTimeout(() => (copyButton.textContent = original), 1500);
  });

  // ---- name: remembered per tab, so two tabs of one browser can use two names ----
  nameInput.value = sessionStorage.getItem('p2p-call-demo-name') ?? '';
  call.setAttribute('name', nameInput.value);
  nameInput.addEventListener('input', () => {
    call.setAttribute('name', nameInput.value);
    sessionStorage.setItem('p2p-call-demo-name', nameInput.value);
  });

  // ---- the room and the name apply when joining: lock them while in a call ----
  const ACTIVE = new Set(['joining', 'waiting', 'connecting', 'connected', 'reconnecting']);
  const showState = (state) => {
    stateBadge.textContent = state;
    stateBadge.dataset.state = state;
    roomInput.disabled = ACTIVE.has(state);
    nameInput.disabled = ACTIVE.has(state);
    if (state === 'connected') {
      const peer = call.remotePeer?.name || 'the other person';
      hint.textContent = `In a call with ${peer}: audio and video go directly between your two browsers.`;
    } else if (state === 'ended') {
      hint.textContent = 'You left the call. Join again to rejoin the same room.';
    } else if (state === 'error') {
      hint.textContent = 'The call stopped with an error: see the message in the call and the event log.';
    } else {
      hint.innerHTML = waitingHint;
    }
  };
  call.addEventListener('p2p-state-change', (event) => showState(event.detail.state));
  customElements.whenDefined('p2p-call').then(() => showState(call.state));

  // ---- the event log: every p2p-* event the element dispatches, with a short summary of its detail ----
  const describeStream = (stream) => {
    const audio = stream.getAudioTracks().length;
    const video = stream.getVideoTracks().length;
    return `${audio} audio, ${video} video track${video === 1 ? '' : 's'}`;
  };

  const SUMMARIES = {
    'p2p-state-change': (d) => `${d.previous} → ${d.state}`,
    'p2p-peer-join': (d) => `${d.peer.name || '(no name)'} · id ${d.peer.id}`,
    'p2p-peer-leave': (d) => `${d.peer.name || '(no name)'} · id ${d.peer.id}`,
    'p2p-local-stream': (d) => describeStream(d.stream),
    'p2p-remote-stream': (d) => describeStream(d.stream),
    'p2p-local-media': (d) => `mic ${d.muted ? 'muted' : 'on'}, camera ${d.cameraOff ? 'off' : 'on'}`,
    'p2p-remote-media': (d) => `mic ${d.muted ? 'muted' : 'on'}, camera ${d.cameraOff ? 'off' : 'on'}`,
    'p2p-error': (d) => `${d.code}: ${d.message}${d.recoverable ? ' (recoverable)' : ''}`,
    'p2p-share-start': (d) => `${d.side === 'local' ? 'you share' : 'they share'} · ${describeStream(d.stream)}`,
    'p2p-share-end': (d) => (d.side === 'local' ? 'you stopped sharing' : 'they stopped sharing'),
    'p2p-chat': (d) => `${d.from === 'local' ? 'you' : d.name || 'they'}: ${d.text}`,
    'p2p-file-offer': (d) => `${d.name} · ${formatSize(d.size)}`,
    'p2p-file-progress': (d) =>
      `${d.direction === 'send' ? '↑' : '↓'} ${d.name} · ${percent(d)}% (${formatSize(d.bytes)} of ${formatSize(d.size)})`,
    'p2p-file-received': (d) => `${d.name} · ${formatSize(d.size)} · digest ${d.digest.slice(0, 12)}…`,
    'p2p-file-sent': (d) => `${d.name} · ${formatSize(d.size)} · confirmed by the other side`,
    'p2p-verification': (d) => `code ${d.code}: compare it with the other person`,
    'p2p-verified': (d) => `code ${d.code} confirmed by ${d.by === 'local' ? 'you' : 'the other person'}`,
    'p2p-route': (d) => `${d.route} · ${d.protocol} · ${d.local} ⇄ ${d.remote}`,
    'p2p-file-cancel': (d) => `${d.name ?? d.id} · ${d.reason} (${d.direction}, by ${d.by})`,
  };

  const formatSize = (bytes) => {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  };
  const percent = (d) => (d.size ? Math.floor((d.bytes / d.size) * 100) : 100);

  // p2p-file-progress fires many times a second during a transfer: log it only when a transfer passes
  // 25, 50, 75 and 100 %, so the log stays readable.
  const progressLogged = new Map();
  const worthLogging = (event) => {
    if (event.type !== 'p2p-file-progress') return true;
    const { id, direction } = event.detail;
    const key = `${direction}:${id}`;
    const quarter = Math.floor(percent(event.detail) / 25);
    if (quarter === 0 || quarter <= (progressLogged.get(key) ?? 0)) return false;
    progressLogged.set(key, quarter);
    return true;
  };

  // Events added to the element later (sharing, files, chat...) are summarised generically.
  const genericSummary = (detail) => {
    if (detail === null || detail === undefined) return '';
    try {
      return JSON.stringify(detail, (key, value) => {
        if (value instanceof MediaStream) return `[MediaStream: ${describeStream(value)}]`;
        if (value instanceof Blob) return `[${value.constructor.name} ${value.size} bytes]`;
        if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
        return value;
      });
    } catch {
      return String(detail);
    }
  };

  const kindOf = (type) => {
    if (type === 'p2p-error') return 'error';
    if (type === 'p2p-state-change') return 'state';
    if (type.startsWith('p2p-peer-')) return 'peer';
    if (type.startsWith('p2p-file-')) return 'file';
    if (type.startsWith('p2p-share-') || type === 'p2p-chat') return 'share';
    return 'other';
  };

  const addLogEntry = (event) => {
    const item = document.createElement('li');
    item.dataset.kind = kindOf(event.type);
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toTimeString().slice(0, 8);
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = event.type;
    const detail = document.createElement('span');
    detail.className = 'detail';
    detail.textContent = (SUMMARIES[event.type] ?? genericSummary)(event.detail);
    item.append(time, name, detail);
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    log.append(item);
    if (atBottom) log.scrollTop = log.scrollHeight;
  };

  // A host listens to the events it needs by name (as above, p2p-state-change). The demo wants every p2p-* event,
  // including ones the element gains later, so it observes the element's own dispatches.
  const dispatch = call.dispatchEvent.bind(call);
  call.dispatchEvent = (event) => {
    const result = dispatch(event);
    if (event.type.startsWith('p2p-') && worthLogging(event)) addLogEntry(event);
    return result;
  };

  clearLog.addEventListener('click', () => log.replaceChildren());
})();
