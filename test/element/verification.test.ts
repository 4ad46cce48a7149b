import { expect } from '@open-wc/testing';
import { CallSession, type VerificationDetail } from '../../src/index.js';
import type { P2PCall } from '../../src/index.js';
import { nextEvent, remoteVideo, waitFor, waitForFrames, waitForState } from '../support/call-helpers.js';
import { HostChannel } from '../support/host-channel.js';
import { callPair } from '../support/two-party.js';

const CODE = /^\d{3} \d{3}$/u;

function codeOf(element: P2PCall): Promise<VerificationDetail> {
  return nextEvent(element, 'p2p-verification').then((event) => event.detail);
}

describe('verification code and relay policy', () => {
  it('two honest peers see the same code from both fingerprints, and verify() reaches both', async () => {
    const { a, b } = await callPair('broadcast', { autoJoin: false });
    const [codeA, codeB] = [codeOf(a), codeOf(b)];
    void a.join();
    void b.join();
    const [onA, onB] = [await codeA, await codeB];
    expect(onA.code).to.match(CODE);
    expect(onA.code).to.equal(onB.code);
    expect(onA.fingerprints.local).to.have.length.greaterThan(0);
    expect(onA.fingerprints.local).to.deep.equal(onB.fingerprints.remote);
    expect(onA.fingerprints.remote).to.deep.equal(onB.fingerprints.local);
    expect(onA.fingerprints.local[0]).to.match(/^sha-256 ([0-9a-f]{2}:){31}[0-9a-f]{2}$/u);
    // Chromium names the certificate the handshake presented: the remote side comes from it, not from SDP text,
    // and it equals what the other side's own description says.
    expect(typeof (RTCDtlsTransport.prototype as { getRemoteCertificates?: unknown }).getRemoteCertificates).to.equal(
      'function',
    );
    expect(a.verificationCode).to.equal(onA.code);

    await waitForState(a, 'connected');
    await a.updateComplete;
    expect(a.shadowRoot!.querySelector('[part="verification"]')!.textContent).to.contain(onA.code);
    const verifiedOnB = nextEvent(b, 'p2p-verified');
    const verifiedOnA = nextEvent(a, 'p2p-verified');
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="verify-button"]')!.click();
    expect((await verifiedOnA).detail).to.deep.equal({ code: onA.code, by: 'local' });
    expect((await verifiedOnB).detail).to.deep.equal({ code: onA.code, by: 'remote' });
    expect(a.verified).to.equal(true);
    // The other side's word is a hint to compare, never this side's verification.
    expect(b.verified).to.equal(false);
    expect(b.verifiedByPeer).to.equal(true);
    await b.updateComplete;
    const badge = b.shadowRoot!.querySelector('[part="verification"]')!;
    expect(badge.querySelector('[part="peer-verified"]')).to.exist;
    expect(badge.textContent).to.not.contain('✓');
    expect(badge.querySelector('[part="verify-button"]')).to.exist;
    b.verify();
    expect(b.verified).to.equal(true);
    await b.updateComplete;
    expect(badge.textContent).to.contain('✓');
    await expect(a).to.be.accessible();
    await expect(b).to.be.accessible();
  });

  it('a relaying man in the middle (two terminated connections, media forwarded) makes the codes differ', async function () {
    this.timeout(60_000); // four peer connections set up one after the other
    // The signaling path belongs to the attacker: Alice's and Bob's envelopes go to its own two sessions.
    const towardAlice = new HostChannel();
    const towardBob = new HostChannel();
    const { a: alice, b: bob } = await callPair(() => towardAlice.connect(), { autoJoin: false });
    bob.signaling = towardBob.connect();
    const room = alice.room;
    const aliceCode = codeOf(alice);
    const bobCode = codeOf(bob);

    const legToAlice = new CallSession({
      signaling: towardAlice.connect(),
      room,
      name: 'Grace',
      media: { audio: false, video: false },
    });
    const legCodes: Record<string, string> = {};
    legToAlice.events.on('verification', ({ code }) => (legCodes.alice = code));
    void alice.join();
    await legToAlice.join();
    await waitFor(() => Boolean(legToAlice.remoteStream), 15_000, 'Alice’s media at the attacker');

    // The second leg impersonates Alice to Bob, forwarding Alice's own camera.
    const legToBob = new CallSession({
      signaling: towardBob.connect(),
      room,
      name: 'Ada',
      localStream: legToAlice.remoteStream,
    });
    legToBob.events.on('verification', ({ code }) => (legCodes.bob = code));
    void bob.join();
    await legToBob.join();
    await waitForState(bob, 'connected');
    await waitForFrames(remoteVideo(bob), 5); // the interception is invisible in the picture

    const [codeSeenByAlice, codeSeenByBob] = [(await aliceCode).code, (await bobCode).code];
    await waitFor(() => Boolean(legCodes.alice && legCodes.bob), 5000, 'the attacker’s codes');
    expect(codeSeenByAlice).to.not.equal(codeSeenByBob);
    // Each leg is an honest exchange with the attacker: that is all the attacker can match.
    expect(legCodes.alice).to.equal(codeSeenByAlice);
    expect(legCodes.bob).to.equal(codeSeenByBob);

    // The attacker claims on both legs that the person there confirmed: neither side becomes verified.
    const claimOnAlice = nextEvent(alice, 'p2p-verified');
    const claimOnBob = nextEvent(bob, 'p2p-verified');
    legToAlice.verify();
    legToBob.verify();
    expect((await claimOnAlice).detail).to.deep.equal({ code: codeSeenByAlice, by: 'remote' });
    expect((await claimOnBob).detail).to.deep.equal({ code: codeSeenByBob, by: 'remote' });
    expect(alice.verified).to.equal(false);
    expect(bob.verified).to.equal(false);
    await alice.updateComplete;
    expect(alice.shadowRoot!.querySelector('[part="verification"]')!.textContent).to.not.contain('✓');
    legToAlice.destroy();
    legToBob.destroy();
  });

  it('a relay that only swaps the fingerprints in the SDP makes the connection fail', async () => {
    const forged = (text: string) =>
      text.replace(
        /(a=fingerprint:sha-256 )([0-9A-F:]+)/gu,
        (_, prefix: string, value: string) =>
          prefix + value.replace(/[0-9A-F]/gu, () => '0123456789ABCDEF'[Math.floor(Math.random() * 16)]),
      );
    const channel = new HostChannel(forged);
    const { a, b } = await callPair(() => channel.connect());
    const states: string[] = [];
    for (const element of [a, b])
      element.addEventListener('p2p-state-change', (event) => states.push(event.detail.state));
    const failure = await Promise.race([nextEvent(a, 'p2p-error'), nextEvent(b, 'p2p-error')]);
    expect(failure.detail).to.include({ code: 'peer-failed' });
    expect(states).to.not.include('connected');
    expect(a.state).to.not.equal('connected');
    expect(b.state).to.not.equal('connected');
  });

  it('reports the route: direct host candidates on loopback', async () => {
    const { a } = await callPair('broadcast', { autoJoin: false });
    const route = nextEvent(a, 'p2p-route');
    void a.join();
    void (a.parentElement!.querySelectorAll('p2p-call')[1] as P2PCall).join();
    const { detail } = await route;
    expect(detail).to.include({ route: 'direct', local: 'host', protocol: 'udp' });
    // The remote side is a host candidate, or peer-reflexive when its check arrives before its candidate does.
    expect(detail.remote).to.be.oneOf(['host', 'prflx']);
  });

  it('relay="forbid" drops TURN servers; relay="only" without TURN warns; an unknown policy is invalid', async () => {
    const { a, b } = await callPair('broadcast', { autoJoin: false });
    const turn = JSON.stringify([{ urls: ['turn:127.0.0.1:9', 'stun:127.0.0.1:9'], username: 'u', credential: 'c' }]);
    for (const element of [a, b]) {
      element.setAttribute('ice-servers', turn);
      element.setAttribute('relay', 'forbid');
    }
    void a.join();
    void b.join();
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');

    // Warned when the connection is about to be made (not at join: the server may hand out TURN credentials then).
    const channel = new HostChannel();
    const [session, other] = [0, 1].map(
      () =>
        new CallSession({
          signaling: channel.connect(),
          room: 'x',
          relay: 'only',
          media: { audio: false, video: false },
        }),
    );
    const warning = new Promise((resolve) => session.events.on('error', resolve));
    await Promise.all([session.join(), other.join()]);
    expect(await warning).to.include({ code: 'invalid-config', recoverable: true });
    session.destroy();
    other.destroy();

    a.leave();
    a.setAttribute('relay', 'sometimes');
    const invalid = nextEvent(a, 'p2p-error');
    await a.join();
    expect((await invalid).detail.code).to.equal('invalid-config');
  });
});
