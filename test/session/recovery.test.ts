import { expect } from '@open-wc/testing';
import {
  BroadcastChannelSignaling,
  CallSession,
  type RecoveredDetail,
  type SignalingAdapter,
  type SignalingEvent,
  type SignalPayload,
} from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';
import { HostChannel } from '../support/host-channel.js';
import { framesFlow } from '../support/share-helpers.js';
import { connectedSessions, paintingCanvas } from '../support/session-pair.js';

/** What each session reported, in order: states, `reconnecting` reasons and `recovered` details. */
function recordRecovery(sessions: Record<string, CallSession>) {
  const log: Record<string, string[]> = {};
  const recovered: Record<string, RecoveredDetail[]> = {};
  for (const [side, session] of Object.entries(sessions)) {
    log[side] = [];
    recovered[side] = [];
    session.events.on('state-change', ({ state }) => log[side].push(state));
    session.events.on('reconnecting', ({ reason }) => log[side].push(`reconnecting:${reason}`));
    session.events.on('recovered', (detail) => {
      log[side].push('recovered');
      recovered[side].push(detail);
    });
  }
  return { log, recovered };
}

describe('CallSession media-path recovery', () => {
  it('replaces a connection whose transport died, on either side: frames and data flow again', async () => {
    const { a, b, close } = await connectedSessions({ recoveryTimeout: 25_000 });
    const { log, recovered } = recordRecovery({ a, b });
    const [offerer, answerer] = a.peerId < b.peerId ? [a, b] : [b, a];

    for (const [round, broken] of [offerer, answerer].entries()) {
      const before = broken.peerConnection!;
      const streamsBefore = [a.remoteStream, b.remoteStream];
      before.close(); // the transport dies under the call (test hook: nothing says bye)
      await waitFor(
        () =>
          recovered.a.length > round &&
          recovered.b.length > round &&
          a.state === 'connected' &&
          b.state === 'connected' &&
          // the peer's camera, as the new connection carries it
          Boolean(a.remoteStream && b.remoteStream) &&
          a.remoteStream !== streamsBefore[0] &&
          b.remoteStream !== streamsBefore[1],
        25_000,
        `recovery ${round + 1} on both sides (a: ${log.a.join(' ')} | b: ${log.b.join(' ')})`,
      );
      expect(broken.peerConnection).to.not.equal(before);
      expect(broken.peerConnection!.connectionState).to.not.equal('closed');
      const side = broken === offerer ? 'offerer' : 'answerer';
      console.log(
        `recovery after the ${side}'s transport closed: ${recovered.a[round].durationMs} ms / ${recovered.b[round].durationMs} ms ` +
          `(attempts ${recovered.a[round].attempts} / ${recovered.b[round].attempts})`,
      );
      // Media in both directions and the data channel work on the new connection.
      await framesFlow(a.remoteStream!, 5, `round ${round}: video at a`);
      await framesFlow(b.remoteStream!, 5, `round ${round}: video at b`);
      const received = new Promise((resolve) => b.events.on('data', ({ data }) => resolve(data)));
      a.send({ round });
      expect(await received).to.deep.equal({ round });
    }
    for (const side of ['a', 'b']) {
      expect(log[side].filter((entry) => entry.startsWith('reconnecting:'))).to.have.length(2);
      expect(log[side].filter((entry) => entry === 'reconnecting')).to.have.length(2); // the state, once per loss
    }
    close();
  });

  it('gives up after the deadline with connection-lost when signaling is down too, and waits for the peer', async () => {
    const channel = new HostChannel();
    const room = uniqueRoom();
    const [a, b] = ['Ada', 'Grace'].map(
      (name) => new CallSession({ signaling: channel.connect(), room, name, recoveryTimeout: 1500, media: { audio: false, video: false } }),
    );
    await Promise.all([a.join(), b.join()]);
    await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'both connected');
    const errors: string[] = [];
    a.events.on('error', ({ code, recoverable }) => errors.push(`${code}/${recoverable}`));
    const states: string[] = [];
    a.events.on('state-change', ({ state }) => states.push(state));

    channel.paused = true; // the host's channel is down: no offer can reach the peer
    b.peerConnection!.close(); // and the media path dies
    await waitFor(() => errors.includes('connection-lost/true'), 20_000, `connection-lost (errors: ${errors.join(', ')})`);
    expect(states).to.deep.equal(['reconnecting', 'waiting']);
    expect(a.remotePeer).to.equal(undefined);
    expect(a.peerConnection).to.equal(undefined);

    // The channel comes back: the two find each other again without anyone clicking anything.
    channel.paused = false;
    b.leave();
    const c = new CallSession({ signaling: channel.connect(), room, name: 'Grace again', media: { audio: false, video: false } });
    await c.join();
    await waitFor(() => a.state === 'connected' && c.state === 'connected', 15_000, 'connected again');
    a.destroy();
    c.destroy();
    b.destroy();
  });
});

/**
 * Loses every candidate of the first connection it carries, trickled or written into the descriptions, as a lossy
 * channel or a bug could: that connection's ICE never starts on either side.
 */
class CandidateLosingSignaling implements SignalingAdapter {
  #firstLink?: string;
  lost = 0;
  constructor(private readonly inner: SignalingAdapter) {}
  join = (request: Parameters<SignalingAdapter['join']>[0]) => this.inner.join(request);
  leave = () => this.inner.leave();
  subscribe = (listener: (event: SignalingEvent) => void) => this.inner.subscribe(listener);
  send(to: string, id: string, payload: SignalPayload): void {
    const link = typeof payload.link === 'string' ? payload.link : undefined;
    if (link && (payload.type === 'offer' || payload.type === 'answer')) this.#firstLink ??= link;
    if (link === undefined || link !== this.#firstLink) return this.inner.send(to, id, payload);
    if (payload.type === 'candidate') {
      this.lost += 1;
      return;
    }
    const sdp = typeof payload.sdp === 'string' ? payload.sdp.replace(/^a=candidate:.*\r\n/gmu, '') : payload.sdp;
    this.inner.send(to, id, { ...payload, sdp });
  }
}

describe('CallSession: a first connection whose candidates never arrive', () => {
  it('is replaced once its ICE has not started after 10 s, and the call connects on the next one', async () => {
    const room = uniqueRoom('stall');
    // Both sides lose the first connection's candidates (each side's adapter sees the link id in its own offer/answer).
    const adapters = [0, 1].map(() => new CandidateLosingSignaling(new BroadcastChannelSignaling()));
    const cameras = [paintingCanvas(160, 120), paintingCanvas(160, 120)];
    const [a, b] = adapters.map(
      (signaling, index) => new CallSession({ signaling, room, localStream: cameras[index].stream, iceServers: [] }),
    );
    const { log } = recordRecovery({ a, b });
    try {
      await Promise.all([a.join(), b.join()]);
      const history = () => `a: ${log.a.join(' ')} | b: ${log.b.join(' ')}`;
      await waitFor(() => a.state === 'connected' && b.state === 'connected', 30_000, () => `connected (${history()})`);
      expect(adapters[0].lost + adapters[1].lost, 'candidates were lost').to.be.greaterThan(0);
      const stalled = [...log.a, ...log.b].filter((entry) => entry === 'reconnecting:ice-stalled');
      expect(stalled.length, history()).to.be.greaterThan(0);
      // `connected` is the data channel opening; the camera stream is known a moment later (its track arrives through
      // negotiation, the message naming it on the channel), so wait for it rather than read it at once.
      await waitFor(() => Boolean(b.remoteStream), 10_000, 'the camera stream at b on the second connection');
      await framesFlow(b.remoteStream!, 5, 'video at b on the second connection');
    } finally {
      a.destroy();
      b.destroy();
      for (const camera of cameras) camera.stop();
    }
  });
});
