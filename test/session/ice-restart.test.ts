import { expect } from '@open-wc/testing';
import { PeerLink } from '../../src/session/peer-link.js';
import { waitFor } from '../support/call-helpers.js';

/** This side's ICE username fragment, from its current local description. */
const ufrag = (link: PeerLink): string | undefined =>
  /^a=ice-ufrag:(\S+)/mu.exec(link.connection.localDescription?.sdp ?? '')?.[1];

/** Two real links in this page, wired to each other as signaling would, connected, each with a camera. */
async function connectedLinks(): Promise<{ offerer: PeerLink; answerer: PeerLink; stop: () => void }> {
  const streams = await Promise.all(
    [0, 1].map(() => navigator.mediaDevices.getUserMedia({ audio: true, video: true })),
  );
  const [offerer, answerer] = streams.map((stream) => new PeerLink({ iceServers: [], stream }));
  offerer.events.on('signal', (payload) => answerer.signal(payload));
  answerer.events.on('signal', (payload) => offerer.signal(payload));
  answerer.start('restart-test', false);
  offerer.start('restart-test', true);
  await waitFor(() => offerer.connected && answerer.connected, 10_000, 'both links connected');
  const stop = () => {
    offerer.destroy();
    answerer.destroy();
    for (const stream of streams) stream.getTracks().forEach((track) => track.stop());
  };
  return { offerer, answerer, stop };
}

/** Video frames this side has decoded so far. */
async function framesDecoded(link: PeerLink): Promise<number> {
  let frames = 0;
  (await link.connection.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
  });
  return frames;
}

/** The DTLS certificate fingerprint this side offers: the verification code is derived from both. */
const fingerprint = (link: PeerLink): string | undefined =>
  /^a=fingerprint:(.+)$/mu.exec(link.connection.localDescription?.sdp ?? '')?.[1];

describe('PeerLink ICE restart', () => {
  for (const asker of ['offerer', 'answerer'] as const) {
    it(`checks the paths again on the same connection when the ${asker} asks, media and channel kept`, async () => {
      const { offerer, answerer, stop } = await connectedLinks();
      try {
        const before = { offerer: ufrag(offerer), answerer: ufrag(answerer) };
        const certificates = [fingerprint(offerer), fingerprint(answerer)];
        const connections = [offerer.connection, answerer.connection];
        const received: unknown[] = [];
        offerer.events.on('message', (message) => received.push(message));
        (asker === 'offerer' ? offerer : answerer).restartIce();
        await waitFor(
          () => ufrag(offerer) !== before.offerer && ufrag(answerer) !== before.answerer,
          10_000,
          'new ICE credentials on both sides',
        );
        await waitFor(
          () => offerer.connection.signalingState === 'stable' && answerer.connection.signalingState === 'stable',
          5_000,
          'the restart negotiated',
        );
        expect([offerer.connection, answerer.connection]).to.deep.equal(connections, 'the same connections');
        expect([fingerprint(offerer), fingerprint(answerer)]).to.deep.equal(certificates, 'the same DTLS keys');
        expect(offerer.connected && answerer.connected).to.equal(true, 'the main channel stayed open');
        const frames = await framesDecoded(offerer);
        const deadline = performance.now() + 5_000;
        while ((await framesDecoded(offerer)) <= frames + 10) {
          if (performance.now() > deadline) throw new Error('Timed out waiting for video after the restart');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(answerer.send('after the restart')).to.equal(true);
        await waitFor(() => received.includes('after the restart'), 5_000, 'a message after the restart');
      } finally {
        stop();
      }
    });
  }

  it('answers a request made within seconds of a restart with that restart', async () => {
    const { offerer, answerer, stop } = await connectedLinks();
    try {
      const seen = new Set([ufrag(offerer)]);
      offerer.restartIce();
      await waitFor(() => offerer.connection.signalingState === 'stable' && !seen.has(ufrag(offerer)), 10_000, 'one');
      seen.add(ufrag(offerer));
      // Asked again at once (the other side judged the same path): the restart under way answers it.
      answerer.restartIce();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(seen.has(ufrag(offerer))).to.equal(true, 'no second restart within seconds of the first');
      expect(offerer.connection.signalingState).to.equal('stable');
    } finally {
      stop();
    }
  });
});
