// Rooms of two: joining, relaying inside a room only, server-stamped senders, room-full, seat takeover.
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CANDIDATE, OFFER, connect, eventually, joined, startServer } from './helpers.mjs';

describe('rooms', () => {
  let server;
  before(async () => {
    ({ server } = await startServer());
  });
  after(() => server.close());

  it('tells the first member it is alone and both members about each other', async () => {
    const alice = await connect(server.url);
    const first = await alice.join('r-join', 'alice');
    assert.deepEqual(first, { v: 1, type: 'joined', room: 'r-join', self: 'alice', peers: [] });

    const bob = await connect(server.url);
    const second = await bob.join('r-join', 'bob');
    assert.deepEqual(second.peers, [{ id: 'alice', name: 'ALICE' }]);
    assert.deepEqual(await alice.next('peer-joined'), { v: 1, type: 'peer-joined', peer: { id: 'bob', name: 'BOB' } });
    await Promise.all([alice.close(), bob.close()]);
  });

  it('relays signals to the other member, stamped with the sender the server knows', async () => {
    const alice = await joined(server.url, 'r-relay', 'alice');
    const bob = await joined(server.url, 'r-relay', 'bob');
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    assert.deepEqual(await bob.next('signal'), { v: 1, type: 'signal', from: 'alice', id: 'm1', payload: OFFER });
    bob.send({ v: 1, type: 'signal', to: 'alice', id: 'm2', payload: CANDIDATE });
    assert.deepEqual(await alice.next('signal'), { v: 1, type: 'signal', from: 'bob', id: 'm2', payload: CANDIDATE });
    await Promise.all([alice.close(), bob.close()]);
  });

  it('sends a burst relayed in one turn to the other member in one write, in order', async () => {
    const alice = await joined(server.url, 'r-burst', 'alice');
    const bob = await joined(server.url, 'r-burst', 'bob');
    // Counts the server's writes (sockets whose local end is the server's port); every call goes through unchanged.
    const writes = [];
    const { _write, _writev } = Socket.prototype;
    Socket.prototype._write = function (chunk, encoding, callback) {
      if (this.localPort === server.port) writes.push(1);
      return _write.call(this, chunk, encoding, callback);
    };
    Socket.prototype._writev = function (chunks, callback) {
      if (this.localPort === server.port) writes.push(chunks.length);
      return _writev.call(this, chunks, callback);
    };
    const ids = Array.from({ length: 20 }, (_, index) => `burst-${index}`);
    try {
      // Alice's 20 frames leave in one TCP write, so the server reads them together, as it does under load.
      const tcp = alice.socket._socket;
      tcp.cork();
      for (const id of ids) alice.send({ v: 1, type: 'signal', to: 'bob', id, payload: CANDIDATE });
      tcp.uncork();
      const received = [];
      for (const id of ids) received.push((await bob.next((frame) => frame.id === id)).id);
      assert.deepEqual(received, ids);
    } finally {
      Object.assign(Socket.prototype, { _write, _writev });
    }
    assert.ok(writes.length <= 3, `20 relayed frames left the server in ${writes.length} writes`);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('ignores a `from` a client writes itself', async () => {
    const alice = await joined(server.url, 'r-spoof', 'alice');
    const bob = await joined(server.url, 'r-spoof', 'bob');
    alice.send({ v: 1, type: 'signal', to: 'bob', from: 'mallory', id: 'm1', payload: OFFER });
    const relayed = await bob.next('signal');
    assert.equal(relayed.from, 'alice');
    await Promise.all([alice.close(), bob.close()]);
  });

  it('never relays across rooms, even between equal peer ids', async () => {
    const a1 = await joined(server.url, 'r-iso-1', 'alice');
    const b1 = await joined(server.url, 'r-iso-1', 'bob');
    const a2 = await joined(server.url, 'r-iso-2', 'alice');
    const c2 = await joined(server.url, 'r-iso-2', 'carol');

    a1.send({ v: 1, type: 'signal', to: 'carol', id: 'x1', payload: OFFER });
    const error = await a1.next('error');
    assert.equal(error.code, 'unknown-peer');

    a2.send({ v: 1, type: 'signal', to: 'carol', id: 'x2', payload: OFFER });
    assert.equal((await c2.next('signal')).id, 'x2');
    a1.send({ v: 1, type: 'signal', to: 'bob', id: 'x3', payload: OFFER });
    assert.equal((await b1.next('signal')).id, 'x3');

    // Nothing leaked: carol got exactly one signal, bob exactly one, and the other alice none.
    assert.deepEqual(c2.pending(), []);
    assert.deepEqual(b1.pending(), []);
    assert.deepEqual(
      a2.pending().filter((frame) => frame.type === 'signal'),
      [],
    );
    await Promise.all([a1, b1, a2, c2].map((client) => client.close()));
  });

  it('refuses a self-addressed signal', async () => {
    const alice = await joined(server.url, 'r-self', 'alice');
    alice.send({ v: 1, type: 'signal', to: 'alice', id: 'm1', payload: OFFER });
    assert.equal((await alice.next('error')).code, 'unknown-peer');
    await alice.close();
  });

  it('answers a third joiner with room-full and keeps the room working', async () => {
    const alice = await joined(server.url, 'r-full', 'alice');
    const bob = await joined(server.url, 'r-full', 'bob');
    const carol = await connect(server.url);
    const refusal = await carol.join('r-full', 'carol');
    assert.equal(refusal.type, 'error');
    assert.equal(refusal.code, 'room-full');

    // carol may not speak into the room she was refused from.
    carol.send({ v: 1, type: 'signal', to: 'alice', id: 'c1', payload: OFFER });
    assert.equal((await carol.next('error')).code, 'not-joined');

    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    assert.equal((await bob.next('signal')).from, 'alice');
    assert.deepEqual(
      alice.pending().filter((frame) => frame.type !== 'peer-joined'),
      [],
    );
    assert.ok(server.stats().rejected['room-full'] >= 1);
    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('gives the seat back to a participant that rejoins with its id, closing the old socket', async () => {
    const alice = await joined(server.url, 'r-rejoin', 'alice');
    const bob = await joined(server.url, 'r-rejoin', 'bob');
    await alice.next('peer-joined');

    const bobAgain = await connect(server.url);
    const rejoin = await bobAgain.join('r-rejoin', 'bob');
    assert.equal(rejoin.type, 'joined');
    assert.deepEqual(rejoin.peers, [{ id: 'alice', name: 'ALICE' }]);
    assert.equal((await bob.closed).code, 4000);
    assert.equal((await alice.next('peer-joined')).peer.id, 'bob');

    // The old socket's close must not evict the new seat.
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    assert.equal((await bobAgain.next('signal')).id, 'm1');
    assert.deepEqual(
      alice.pending().filter((frame) => frame.type === 'peer-left'),
      [],
    );
    await Promise.all([alice.close(), bobAgain.close()]);
  });

  it('ignores a replaced socket that ignores its close and tries to rejoin', async () => {
    const alice = await joined(server.url, 'r-fight', 'alice');
    const bob = await joined(server.url, 'r-fight', 'bob');
    bob.socket.pause(); // a client that never reads its close frame
    const bobAgain = await joined(server.url, 'r-fight', 'bob');
    bob.send({ v: 1, type: 'join', room: 'r-fight', peer: 'bob' });
    bob.send({ v: 1, type: 'signal', to: 'alice', id: 'stale', payload: OFFER });
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'fresh', payload: OFFER });
    assert.equal((await bobAgain.next('signal')).id, 'fresh');
    bob.socket.resume();
    assert.equal((await bob.closed).code, 4000);
    assert.ok(bobAgain.isOpen, 'the new seat holder keeps the seat');
    assert.deepEqual(
      alice.pending().filter((frame) => frame.type === 'signal'),
      [],
      'nothing from the replaced socket',
    );
    await Promise.all([alice.close(), bobAgain.close()]);
  });

  it('deletes a room when its last member leaves', async () => {
    await eventually(() => server.stats().rooms === 0, 5000, 'rooms left over from earlier tests');
    const alice = await joined(server.url, 'r-empty', 'alice');
    assert.equal(server.stats().rooms, 1);
    await alice.close();
    await eventually(() => server.stats().rooms === 0);
  });
});
