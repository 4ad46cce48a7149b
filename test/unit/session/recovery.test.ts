import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ATTEMPT_TIMEOUT_MS, DEFAULT_RECOVERY_TIMEOUT_MS } from '../../../src/session/recovery-clock.js';
import { DISCONNECT_GRACE_MS, SAMPLE_INTERVAL_MS, SILENCE_MS } from '../../../src/session/link-watch.js';
import { REJOIN_ANSWER_WAIT_MS, STALL_TIMEOUT_MS } from '../../../src/session/link-supervisor.js';
import type { FakeLink } from '../support/fake-link.js';
import type { FakeSignaling } from '../support/fake-signaling.js';
import { CallHarness, type TestSession } from '../support/session-harness.js';

describe('CallSession recovery (fake links, fake timers)', () => {
  let call: CallHarness;
  let a: TestSession;
  let b: TestSession;
  beforeEach(() => {
    call = new CallHarness();
    a = call.add('a');
    b = call.add('b');
  });
  afterEach(() => call.dispose());

  /** Both ends of the link the two sessions are on now. */
  const currentLinks = (): FakeLink[] => call.network.started.filter((link) => !link.closed);
  const adapterOf = (side: TestSession) =>
    (side.session as unknown as { options: { signaling: FakeSignaling } }).options.signaling;
  /** Both ends streaming for 2 s; the offerer's and the answerer's ends, and how many links had started by then. */
  async function streamingCall(): Promise<{ offererEnd: FakeLink; started: number }> {
    await call.joinAll();
    const ends = [true, false].map((initiator) => currentLinks().find((link) => link.initiator === initiator)!);
    for (const link of ends) link.stream(true);
    await call.run(2000);
    return { offererEnd: ends[0], started: call.network.started.length };
  }

  it('a path that goes quiet is replaced after the grace period: reconnecting, then recovered on a fresh link', async () => {
    await call.joinAll();
    const [first] = currentLinks();
    for (const link of currentLinks()) link.goQuiet();
    await call.run(DISCONNECT_GRACE_MS - 100);
    assert.equal(a.session.state, 'connected', 'a short drop is left alone');
    await call.run(1000);
    for (const side of [a, b]) {
      assert.equal(side.session.state, 'connected');
      assert.deepEqual(side.states().slice(-2), ['reconnecting', 'connected']);
      assert.deepEqual(side.all('reconnecting'), [{ reason: 'ice-disconnected' }]);
      assert.equal(side.all('recovered').length, 1);
      assert.equal(side.all('recovered')[0].attempts, 1);
    }
    assert.equal(first.closed, true);
    assert.equal(currentLinks().length, 2);
    assert.notEqual(currentLinks()[0].id, first.id);
    assert.equal(a.all('peer-leave').length, 0, 'the person never left');
    // The first connection's camera starts reduced (PeerLink, before the offer); the replacement's at full size.
    assert.deepEqual(first.cameraSizes, []);
    for (const link of currentLinks()) assert.equal(link.cameraSizes[0], false, 'a replacement starts at full size');
  });

  it('media that stops arriving (a network change, ICE not yet disconnected) is replaced within 1.5 s, signaling checked first', async () => {
    await call.joinAll();
    const adapters = [a, b].map(
      (side) => (side.session as unknown as { options: { signaling: FakeSignaling } }).options.signaling,
    );
    for (const link of currentLinks()) link.stream(true);
    await call.run(2000);
    assert.deepEqual(
      adapters.map((adapter) => adapter.checks),
      [0, 0],
      'no check while media flows',
    );
    for (const link of currentLinks()) link.stream(false);
    await call.run(SILENCE_MS + SAMPLE_INTERVAL_MS + 200);
    for (const side of [a, b]) {
      assert.equal(side.session.state, 'connected');
      assert.deepEqual(side.states().slice(-2), ['reconnecting', 'connected']);
    }
    // Whichever side's watch speaks first replaces the link; the other may hear of it (its transport closes) first.
    const reasons = [...a.all('reconnecting'), ...b.all('reconnecting')].map(({ reason }) => reason);
    assert.ok(reasons.includes('packets-stopped'), JSON.stringify(reasons));
    assert.ok(
      adapters.every((adapter) => adapter.checks >= 1),
      'each side that noticed checked its signaling',
    );
  });

  // Both sides check their signaling as soon as the media goes quiet, so the side that moved is seated again (the
  // other hears `peer-joined` while its link still looks connected) before either gives the link up; the new link's
  // offer and answer then go through at once, and the answerer's restart request names the link it lost, so nothing
  // else starts: one new link on each side, whichever side moved.
  for (const moved of ['a', 'b'] as const) {
    it(`a network change under ${moved === 'a' ? 'the offerer' : 'the answerer'}, its signaling dead too: one new link each side`, async () => {
      await call.joinAll();
      for (const link of currentLinks()) link.stream(true);
      await call.run(2000);
      const before = call.network.started.length;
      adapterOf(moved === 'a' ? a : b).dead = true;
      for (const link of currentLinks()) link.stream(false);
      await call.run(SILENCE_MS + SAMPLE_INTERVAL_MS + 300);
      for (const side of [a, b]) {
        assert.equal(side.session.state, 'connected');
        assert.equal(side.all('recovered').length, 1);
      }
      assert.equal(call.network.started.length - before, 2);
      assert.ok(adapterOf(moved === 'a' ? a : b).checks >= 1);
    });
  }

  it('an answer held while the answerer reconnects is waited for: the offerer does not offer again', async () => {
    const { offererEnd, started: before } = await streamingCall();
    // The answerer's route changed: the offerer hears nothing any more, the answerer still hears the offerer, and its
    // own signaling breaks at its first send (its answer to the new offer).
    adapterOf(b).breaksOnSend = true;
    offererEnd.stream(false);
    await call.run(SILENCE_MS + SAMPLE_INTERVAL_MS + 1000);
    for (const side of [a, b]) assert.equal(side.session.state, 'connected');
    assert.equal(call.network.started.length - before, 2, 'one new link on each side');
  });

  it("the offer's candidates lost in the answerer's dead socket are sent again when it is back: no second attempt", async () => {
    const { offererEnd, started: before } = await streamingCall();
    // As above, and the offerer's candidates come a few milliseconds after its offer (gathering takes longer than a
    // signaling hop): they reach the answerer's socket after it broke, and are lost.
    call.network.latencyMs = 5;
    adapterOf(b).breaksOnSend = true;
    offererEnd.stream(false);
    await call.run(SILENCE_MS + SAMPLE_INTERVAL_MS + 1000);
    for (const side of [a, b]) assert.equal(side.session.state, 'connected', side.states().join(' '));
    assert.equal(call.network.started.length - before, 2, 'one new link on each side');
  });

  it("an offer lost while the answerer had no network is made again as soon as the answerer's held request arrives", async () => {
    await call.joinAll();
    for (const link of currentLinks()) link.stream(true);
    await call.run(2000);
    // The answerer's link goes down for 1.5 s (Wi-Fi to a hotspot): its signaling is back only then, and the offer
    // made meanwhile went to its old socket. Its restart request, held meanwhile, arrives right after its return.
    const outageMs = 1500;
    adapterOf(b).dead = true;
    adapterOf(b).reconnectMs = outageMs;
    for (const link of currentLinks()) link.stream(false);
    await call.run(SAMPLE_INTERVAL_MS + outageMs + REJOIN_ANSWER_WAIT_MS - 100);
    for (const side of [a, b]) assert.equal(side.session.state, 'connected', side.states().join(' '));
  });

  it("an offer made only after the answerer's return is waited for, whatever the answerer held meanwhile", async () => {
    const { started: before } = await streamingCall();
    // The answerer's network changes: its signaling, checked at the first silent sample, is seated again 900 ms later,
    // after both sides gave the path up but before the offerer (a loaded machine: 400 ms to make an offer) has made
    // its new offer. The restart request the answerer held meanwhile names the link it lost and arrives first; the
    // offer then goes to the answerer's new socket and is answered. (Seen in the network lab's route change: the
    // offer made again cost ~0.5 s of the recovery.)
    call.network.offerDelayMs = 400;
    adapterOf(b).dead = true;
    adapterOf(b).reconnectMs = 900;
    for (const link of currentLinks()) link.stream(false);
    await call.run(SILENCE_MS + SAMPLE_INTERVAL_MS + 1500);
    for (const side of [a, b]) {
      assert.equal(side.session.state, 'connected', side.states().join(' '));
      assert.equal(side.all('recovered').length, 1);
    }
    assert.equal(call.network.started.length - before, 2, 'one new link on each side: the offer was not made again');
  });

  it('ICE failure recovers at once, whichever side notices', async () => {
    await call.joinAll();
    const answererEnd = currentLinks().find((link) => !link.initiator)!;
    answererEnd.fail();
    await call.run(200);
    assert.deepEqual(b.all('reconnecting'), [{ reason: 'ice-failed' }]);
    // b closes its end as it asks for a new link: whichever of the two reaches a first names a's reason.
    assert.equal(a.all('reconnecting').length, 1);
    assert.ok(['peer-request', 'transport-closed'].includes(a.all('reconnecting')[0].reason));
    assert.equal(a.session.state, 'connected');
    assert.equal(b.session.state, 'connected');
  });

  it('a transport that closes without a bye, with the peer still in the room, is recovered', async () => {
    await call.joinAll();
    currentLinks()
      .find((link) => link.initiator)!
      .closeTransport();
    await call.run(200);
    assert.deepEqual(a.all('reconnecting'), [{ reason: 'transport-closed' }]);
    assert.equal(a.session.state, 'connected');
    assert.equal(b.session.state, 'connected');
  });

  it('retries on the attempt clock and gives up at the deadline: connection-lost, the peer dropped, waiting', async () => {
    await call.joinAll();
    call.network.reachable = false;
    for (const link of currentLinks()) link.fail();
    await call.run(ATTEMPT_TIMEOUT_MS * 2 + 500);
    assert.equal(a.session.state, 'reconnecting');
    const linksMeanwhile = call.network.started.length;
    assert.ok(linksMeanwhile >= 6, `a fresh link per attempt (${linksMeanwhile} links)`);
    await call.run(DEFAULT_RECOVERY_TIMEOUT_MS);
    for (const side of [a, b]) {
      assert.equal(side.session.state, 'waiting');
      assert.equal(side.all('peer-leave').length, 1);
      assert.ok(side.all('error').some((error) => error.code === 'connection-lost' && error.recoverable));
    }
    // Nothing is left running: no more links are made.
    const made = call.network.links.length;
    await call.run(60_000);
    assert.equal(call.network.links.length, made + 0, 'no link attempts after giving up');
  });

  it('a first connection that closes with ICE not failed (no verdict on the networks) is retried: connection-lost by the deadline', async () => {
    call.network.reachable = false;
    await call.joinAll(1000);
    // ICE gives up on the offerer's side first (the peer library closes the link); the answerer's first link is
    // replaced by the next offer before its own ICE gives up.
    currentLinks()
      .find((link) => link.initiator)!
      .closeTransport();
    await call.run(DEFAULT_RECOVERY_TIMEOUT_MS + ATTEMPT_TIMEOUT_MS);
    for (const side of [a, b]) {
      assert.ok(
        side.all('error').some((error) => error.code === 'connection-lost'),
        `${side.session.peerId}: ${JSON.stringify(side.all('error'))}, states ${side.states()}`,
      );
    }
  });

  it('a first connection whose checks all fail ends at once in unreachable on both sides, and is not retried', async () => {
    call.network.reachable = false;
    await call.joinAll(1000);
    const made = call.network.links.length;
    for (const link of currentLinks()) link.giveUp();
    await call.run(100);
    for (const side of [a, b]) {
      const errors = side.all('error');
      assert.deepEqual(
        errors.map(({ code, recoverable }) => ({ code, recoverable })),
        [{ code: 'unreachable', recoverable: true }],
        JSON.stringify(errors),
      );
      assert.match(errors[0].message, /none answered/);
      assert.equal(side.session.state, 'waiting');
      assert.equal(side.all('peer-leave').length, 1);
      assert.ok(!side.states().includes('reconnecting'), side.states().join(' '));
    }
    await call.run(DEFAULT_RECOVERY_TIMEOUT_MS + ATTEMPT_TIMEOUT_MS);
    assert.equal(call.network.started.length, made, 'no fresh connection is tried');
    for (const side of [a, b]) assert.equal(side.all('error').length, 1, 'no connection-lost later');
  });

  it('a first connection whose candidates never arrive is replaced by the stall watchdog, and connects', async () => {
    call.network.candidateLossForFirstLinks = 1;
    await call.joinAll(1000);
    assert.equal(a.session.state, 'connecting');
    await call.run(STALL_TIMEOUT_MS);
    for (const side of [a, b]) {
      assert.equal(side.session.state, 'connected');
      assert.ok(!side.states().includes('reconnecting'), 'a first connect never shows as reconnecting');
    }
    assert.ok([...a.all('reconnecting'), ...b.all('reconnecting')].some(({ reason }) => reason === 'ice-stalled'));
  });

  it('a first connection where neither side ever gathers a candidate is replaced by the stall watchdog', async () => {
    call.network.gatheringStallForFirstLinks = 1;
    await call.joinAll(1000);
    assert.equal(a.session.state, 'connecting');
    await call.run(STALL_TIMEOUT_MS);
    for (const side of [a, b]) assert.equal(side.session.state, 'connected', side.states().join(' '));
    assert.ok([...a.all('reconnecting'), ...b.all('reconnecting')].some(({ reason }) => reason === 'ice-stalled'));
  });

  it('signaling losing the peer does not touch a working link; the peer coming back changes nothing', async () => {
    await call.joinAll();
    const links = currentLinks();
    // What a server restart looks like from here: the peer leaves the room, then joins it again.
    const adapterOfA = (a.session as unknown as { options: { signaling: { emit(event: unknown): void } } }).options
      .signaling;
    adapterOfA.emit({ type: 'peer-left', peerId: 'b' });
    await call.run(100);
    assert.equal(a.session.state, 'connected');
    adapterOfA.emit({ type: 'peer-joined', peer: { id: 'b', name: 'B' } });
    await call.run(100);
    assert.equal(a.session.state, 'connected');
    assert.deepEqual(currentLinks(), links, 'the same link');
  });
});
