// The connection a session builds while it waits (src/session/spare-link.ts): built at join, used for the call when
// the other person arrives, closed on leave, and not used when the local tracks changed in between.
import { expect } from '@open-wc/testing';
import { BroadcastChannelSignaling, CallSession } from '../../src/index.js';
import { SpareLink } from '../../src/session/spare-link.js';
import { createPeerLink } from '../../src/session/peer-link.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';

/** A host stream with one painted canvas track (no devices needed). */
function canvasStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 120;
  const context = canvas.getContext('2d')!;
  context.fillStyle = 'teal';
  context.fillRect(0, 0, 160, 120);
  return canvas.captureStream(10);
}

/**
 * Every RTCPeerConnection that gets a sender, by the id of the stream the sender is for: which connection a session
 * built for its stream, and in what order. Reads only; the calls go through unchanged.
 */
function watchConnections(): { byStream: Map<string, RTCPeerConnection[]>; stop: () => void } {
  const byStream = new Map<string, RTCPeerConnection[]>();
  const original = RTCPeerConnection.prototype.addTrack;
  RTCPeerConnection.prototype.addTrack = function (this: RTCPeerConnection, track, ...streams) {
    for (const stream of streams) {
      const list = byStream.get(stream.id) ?? [];
      if (!list.includes(this)) list.push(this);
      byStream.set(stream.id, list);
    }
    return original.call(this, track, ...streams);
  };
  return { byStream, stop: () => (RTCPeerConnection.prototype.addTrack = original) };
}

describe('the connection prepared while waiting', () => {
  let watch: ReturnType<typeof watchConnections>;
  const sessions: CallSession[] = [];
  const session = (room: string, localStream: MediaStream) => {
    const created = new CallSession({ signaling: new BroadcastChannelSignaling(), room, localStream });
    sessions.push(created);
    return created;
  };
  beforeEach(() => (watch = watchConnections()));
  afterEach(() => {
    watch.stop();
    for (const created of sessions.splice(0)) created.destroy();
  });

  it('is built at join, before anyone else is there, and carries the call when the peer arrives', async () => {
    const room = uniqueRoom('spare');
    const [streamA, streamB] = [canvasStream(), canvasStream()];
    const a = session(room, streamA);
    await a.join();
    await waitFor(() => a.state === 'waiting', 5000, 'a waiting');
    const prepared = watch.byStream.get(streamA.id) ?? [];
    expect(prepared, 'one connection built for the waiting side').to.have.length(1);
    expect(a.peerConnection === undefined, 'no call yet').to.equal(true);

    const b = session(room, streamB);
    await b.join();
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    // (Connections are compared with ===: chai's message formatting of an RTCPeerConnection takes the page down.)
    expect(a.peerConnection === prepared[0], 'the call runs on the prepared connection').to.equal(true);
    expect(watch.byStream.get(streamA.id), 'no second connection for the waiting side').to.have.length(1);
    // The second joiner found the peer at once; it still built one connection only, and calls on it.
    const builtB = watch.byStream.get(streamB.id) ?? [];
    expect(builtB).to.have.length(1);
    expect(b.peerConnection === builtB[0]).to.equal(true);
  });

  it('is closed when the session leaves before anyone came', async () => {
    const stream = canvasStream();
    const a = session(uniqueRoom('spare'), stream);
    await a.join();
    await waitFor(() => a.state === 'waiting', 5000, 'waiting');
    const [prepared] = watch.byStream.get(stream.id) ?? [];
    expect(prepared.signalingState).to.equal('stable');
    a.leave();
    await waitFor(() => prepared.signalingState === 'closed', 5000, 'the prepared connection closed');
  });

  it('is not used when the local tracks changed while waiting: the call gets a fresh one with every track', async () => {
    const room = uniqueRoom('spare');
    const streamA = canvasStream();
    const a = session(room, streamA);
    await a.join();
    await waitFor(() => a.state === 'waiting', 5000, 'a waiting');
    const [prepared] = watch.byStream.get(streamA.id) ?? [];
    // The host adds a second track to its stream before the other person arrives.
    streamA.addTrack(canvasStream().getVideoTracks()[0]);

    const b = session(room, canvasStream());
    let remote: MediaStream | undefined;
    b.events.on('remote-stream', ({ stream }) => (remote = stream));
    await b.join();
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    expect(a.peerConnection !== prepared, 'a fresh connection').to.equal(true);
    expect(prepared.signalingState, 'the stale one is closed').to.equal('closed');
    await waitFor(() => (remote?.getVideoTracks().length ?? 0) === 2, 5000, 'both of the host stream tracks');
  });

  it('is built again when the peer leaves, and carries the call with the next person', async () => {
    const room = uniqueRoom('spare');
    const streamA = canvasStream();
    const a = session(room, streamA);
    const b = session(room, canvasStream());
    await Promise.all([a.join(), b.join()]);
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'a and b connected');
    b.leave();
    await waitFor(() => a.state === 'waiting', 5000, 'a waiting again');
    const built = watch.byStream.get(streamA.id) ?? [];
    expect(built, 'the first call and the next one').to.have.length(2);

    const c = session(room, canvasStream());
    await c.join();
    await waitFor(() => a.state === 'connected' && c.state === 'connected', 15_000, 'a and c connected');
    expect(a.peerConnection === built[1], 'the call runs on the one built after b left').to.equal(true);
  });

  it('takes the ICE servers the signaling server handed out after it was built', () => {
    const stream = canvasStream();
    const spare = new SpareLink(createPeerLink);
    spare.prepare({ iceServers: [], stream });
    const turn = { urls: 'turn:127.0.0.1:3478', username: 'u', credential: 'c' };
    const link = spare.take({ iceServers: [turn], stream });
    try {
      expect(link, 'the same stream: the spare fits').to.exist;
      const servers = link!.connection.getConfiguration().iceServers ?? [];
      expect(servers.flatMap((server) => server.urls)).to.deep.equal(['turn:127.0.0.1:3478']);
      expect(link!.started, 'not started: the session names it and gives it its role').to.equal(false);
    } finally {
      link?.destroy();
    }
    expect(spare.take({ iceServers: [], stream }), 'taken once').to.equal(undefined);
  });

  it('builds every connection without a candidate pool, prepared ahead or not', async () => {
    // A pool makes an answering connection gather in a second allocator session, which Chromium can leave without
    // any network for good (see PeerLink): both sides then sit in `connecting` with ICE `new` until the stall
    // watchdog. Here: a's prepared connection, the fresh one that replaces it (its tracks changed), and b's.
    const room = uniqueRoom('spare');
    const streamA = canvasStream();
    const streamB = canvasStream();
    const a = session(room, streamA);
    await a.join();
    await waitFor(() => a.state === 'waiting', 5000, 'a waiting');
    const [prepared] = watch.byStream.get(streamA.id) ?? [];
    const pools = [prepared.getConfiguration().iceCandidatePoolSize];
    streamA.addTrack(canvasStream().getVideoTracks()[0]);
    const b = session(room, streamB);
    await b.join();
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'connected');
    const fresh = [a.peerConnection!, b.peerConnection!];
    expect(fresh[0] !== prepared, 'a fresh connection replaced the prepared one').to.equal(true);
    pools.push(...fresh.map((connection) => connection.getConfiguration().iceCandidatePoolSize));
    expect(pools).to.deep.equal([0, 0, 0]);
  });

  it('is closed, not handed over, when asked for with another stream', async () => {
    const spare = new SpareLink(createPeerLink);
    const stream = canvasStream();
    spare.prepare({ iceServers: [], stream });
    const [built] = watch.byStream.get(stream.id) ?? [];
    expect(built.signalingState).to.equal('stable');
    expect(spare.take({ iceServers: [], stream: canvasStream() })).to.equal(undefined);
    await waitFor(() => built.signalingState === 'closed', 5000, 'the spare closed');
  });
});
