import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { asDevices, FakeDevices, FakeStream, FakeTrack } from '../support/fake-media.js';
import { CallHarness } from '../support/session-harness.js';

describe('CallSession: a call, end to end on fakes', () => {
  let call: CallHarness;
  beforeEach(() => (call = new CallHarness()));
  afterEach(() => call.dispose());

  it('connects two sessions: idle -> joining -> waiting -> connecting -> connected on both sides', async () => {
    const a = call.add('a');
    const b = call.add('b');
    await call.joinAll();
    for (const side of [a, b]) {
      assert.equal(side.session.state, 'connected');
      // The later side finds the other already there: it may skip waiting.
      assert.deepEqual(
        side.states().filter((state) => state !== 'waiting'),
        ['joining', 'connecting', 'connected'],
      );
      assert.equal(side.all('peer-join').length, 1);
    }
    assert.deepEqual(a.all('peer-join')[0].peer, { id: 'b', name: 'B' });
    // One link pair, offered by the smaller id.
    assert.equal(call.network.started.length, 2);
    assert.equal(call.network.started.filter((link) => link.initiator).length, 1);
    assert.equal(a.session.connected, true);
  });

  it('waits alone, then connects when the other person arrives', async () => {
    const a = call.add('a');
    void a.session.join();
    await call.run(100);
    assert.equal(a.session.state, 'waiting');
    const b = call.add('b');
    void b.session.join();
    await call.run(100);
    assert.deepEqual(a.states(), ['joining', 'waiting', 'connecting', 'connected']);
    assert.equal(b.session.state, 'connected');
  });

  it('applies a signal delivered twice once: one link each, one connect', async () => {
    call.hub.duplicate = true;
    const a = call.add('a');
    const b = call.add('b');
    await call.joinAll();
    assert.equal(a.session.state, 'connected');
    assert.equal(b.session.state, 'connected');
    assert.equal(call.network.started.length, 2);
    assert.equal(a.all('state-change').filter(({ state }) => state === 'connected').length, 1);
  });

  it('never offers from both sides at once: the larger id asks, the smaller offers', async () => {
    // Both join in the same instant and find each other in `joined`: the classic glare setup.
    const b = call.add('b');
    const a = call.add('a');
    await call.joinAll();
    const offers = call.hub.delivered.filter((signal) => signal.payload.type === 'offer');
    assert.deepEqual(
      offers.map((offer) => offer.from),
      ['a'],
    );
    assert.ok(call.hub.delivered.some((signal) => signal.from === 'b' && signal.payload.type === 'restart'));
    assert.equal(a.session.state, 'connected');
    assert.equal(b.session.state, 'connected');
  });

  it('shows display names without disguising characters', async () => {
    const a = call.add('a');
    call.add('b', { name: 'Eve\u202Egnp.exe\u0000' });
    await call.joinAll();
    assert.equal(a.all('peer-join')[0].peer.name, 'Evegnp.exe');
    assert.equal(a.session.remotePeer?.name, 'Evegnp.exe');
  });

  it('leaves: tells the peer, which waits again at once (no recovery), and the state ends', async () => {
    const a = call.add('a');
    const b = call.add('b');
    await call.joinAll();
    b.session.leave();
    await call.run(50);
    assert.equal(b.session.state, 'ended');
    assert.equal(a.session.state, 'waiting');
    assert.equal(a.all('peer-leave').length, 1);
    assert.equal(a.all('reconnecting').length, 0);
    assert.ok(
      call.network.started.every((link) => link.closed),
      'both ends of the link closed',
    );
  });

  it('connects again when the person comes back with a new session (a reload: new id)', async () => {
    const a = call.add('a');
    const b = call.add('b');
    await call.joinAll();
    b.session.destroy();
    const again = call.add('c');
    void again.session.join();
    await call.run(200);
    assert.equal(a.session.state, 'connected');
    assert.equal(a.session.remotePeer?.id, 'c');
    assert.deepEqual(
      a.all('peer-leave').map(({ peer }) => peer.id),
      ['b'],
    );
  });

  it('a reloaded person with the same id takes its seat back: the old link is replaced', async () => {
    const a = call.add('a');
    const b = call.add('b');
    await call.joinAll();
    // B's page vanishes without a bye (no leave()); its successor joins with the same id.
    b.session.events.all.clear();
    const again = call.add('b');
    void again.session.join();
    await call.run(500);
    assert.equal(a.session.state, 'connected');
    assert.equal(again.session.state, 'connected');
  });

  it('leaving while the camera prompt is open releases what the prompt grants later, and never enters the room', async () => {
    const devices = new FakeDevices();
    devices.autoAnswer = false;
    const a = call.add('a', { localStream: undefined, mediaDevices: asDevices(devices) });
    void a.session.join();
    await call.run(10);
    assert.equal(a.session.state, 'joining');
    a.session.leave();
    const granted = [new FakeTrack('audio'), new FakeTrack('video')];
    devices.requests[0].answer(new FakeStream(granted));
    await call.run(100);
    assert.equal(a.session.state, 'ended');
    assert.ok(granted.every((track) => track.readyState === 'ended'));
    assert.equal(call.hub.delivered.length, 0);
    assert.deepEqual(a.states(), ['joining', 'ended']);
  });

  it('fails the call (error state) on a camera refusal, with the typed error', async () => {
    const devices = new FakeDevices();
    devices.autoAnswer = false;
    const a = call.add('a', { localStream: undefined, mediaDevices: asDevices(devices) });
    void a.session.join();
    await call.run(10);
    const refusal = Object.assign(new Error('denied'), { name: 'NotAllowedError' });
    for (let answered = 0; answered < 3; answered += 1) {
      devices.requests[answered]?.answer(refusal);
      await call.run(10);
    }
    assert.equal(a.session.state, 'error');
    assert.deepEqual(
      a.all('error').map(({ code, recoverable }) => ({ code, recoverable })),
      [{ code: 'permission-denied', recoverable: false }],
    );
  });
});
