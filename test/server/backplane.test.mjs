// Several server processes sharing rooms through a real redis-server: the two members of a call on different
// processes, room-full across them, a process killed or stopped mid-call, and the seats of a crashed process freed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CANDIDATE, OFFER, connect, delay, eventually, joined } from './helpers.mjs';
import { startNode, startRedis } from './redis-harness.mjs';

const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 1 2 IN IP4 192.0.2.11\r\n' };
/** Short, so a killed process's seats are freed within the test; renewed every third of it. */
const LEASE_MS = 1500;

describe('Redis backplane (3 processes, real redis-server)', () => {
  let redis;
  /** @type {Awaited<ReturnType<typeof startNode>>[]} */
  const nodes = [];
  const start = async () => {
    const node = await startNode({ REDIS_URL: redis.url, P2P_CALL_REDIS_LEASE_MS: String(LEASE_MS) });
    nodes.push(node);
    return node;
  };
  let a;
  let b;
  let c;

  before(async () => {
    redis = await startRedis();
    [a, b, c] = [await start(), await start(), await start()];
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.kill('SIGKILL')));
    await redis?.stop();
  });

  it('two clients on different processes join one room and exchange signals both ways', async () => {
    const alice = await joined(a.url, 'cross', 'alice');
    const bob = await connect(b.url);
    const bobJoined = await bob.join('cross', 'bob');
    assert.deepEqual(bobJoined.peers, [{ id: 'alice', name: 'ALICE' }]);
    assert.deepEqual((await alice.next('peer-joined')).peer, { id: 'bob', name: 'BOB' });

    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'a1', payload: OFFER });
    assert.deepEqual(await bob.next('signal'), { v: 1, type: 'signal', from: 'alice', id: 'a1', payload: OFFER });
    bob.send({ v: 1, type: 'signal', to: 'alice', id: 'b1', payload: ANSWER });
    bob.send({ v: 1, type: 'signal', to: 'alice', id: 'b2', payload: CANDIDATE });
    assert.deepEqual(await alice.next('signal'), { v: 1, type: 'signal', from: 'bob', id: 'b1', payload: ANSWER });
    assert.deepEqual(await alice.next('signal'), { v: 1, type: 'signal', from: 'bob', id: 'b2', payload: CANDIDATE });

    // The seats are in Redis, each with its own process.
    const seats = await redis.client.hgetall('p2p-call:room:cross');
    assert.deepEqual(Object.keys(seats).sort(), ['alice', 'bob']);
    assert.notEqual(JSON.parse(seats.alice).node, JSON.parse(seats.bob).node);

    const metrics = await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text();
    assert.match(metrics, /^p2p_call_redis_up 1$/m);
    assert.match(metrics, /^p2p_call_backplane_published_total [1-9]/m);
    assert.match(metrics, /^p2p_call_backplane_received_total [1-9]/m);

    bob.send({ v: 1, type: 'leave' });
    assert.deepEqual(await alice.next('peer-left'), { v: 1, type: 'peer-left', peer: 'bob' });
    await Promise.all([alice.close(), bob.close()]);
  });

  it('refuses a third member with room-full, whichever process it reaches', async () => {
    const alice = await joined(a.url, 'full', 'alice');
    const bob = await joined(b.url, 'full', 'bob');
    for (const node of [a, b, c]) {
      const carol = await connect(node.url);
      const answer = await carol.join('full', 'carol');
      assert.equal(answer.type, 'error');
      assert.equal(answer.code, 'room-full');
      await carol.close();
    }
    // A signal to the refused participant finds no one.
    alice.send({ v: 1, type: 'signal', to: 'carol', id: 'x', payload: OFFER });
    assert.equal((await alice.next('error')).code, 'unknown-peer');
    await Promise.all([alice.close(), bob.close()]);
  });

  it('a new connection of the same participant on another process replaces the old one (4000)', async () => {
    const alice = await joined(a.url, 'moved', 'alice');
    const first = await joined(b.url, 'moved', 'bob');
    const second = await joined(c.url, 'moved', 'bob');
    assert.equal((await first.closed).code, 4000);
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    assert.equal((await second.next('signal')).id, 'm1');
    await Promise.all([alice.close(), second.close()]);
  });

  it('a killed process: its client rejoins through another as the same participant; the other side stays', async () => {
    const doomed = await start();
    const alice = await joined(a.url, 'crash', 'alice');
    const bob = await joined(doomed.url, 'crash', 'bob');
    await alice.next('peer-joined');
    // Alice's process now knows where bob is; after the crash it must find him at his new place.
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'before', payload: OFFER });
    assert.equal((await bob.next('signal')).id, 'before');

    await doomed.kill('SIGKILL');
    const lost = await bob.closed;
    assert.equal(lost.code, 1006, 'the socket dropped without a close frame');
    // What the browser client does: reconnect (the balancer picks another process) and join with the same id.
    const again = await connect(b.url);
    const rejoined = await again.join('crash', 'bob');
    assert.equal(rejoined.type, 'joined', JSON.stringify(rejoined));
    assert.deepEqual(rejoined.peers, [{ id: 'alice', name: 'ALICE' }]);
    assert.equal((await alice.next('peer-joined')).peer.id, 'bob');
    assert.ok(alice.isOpen, 'alice was never disconnected');
    assert.ok(!alice.pending().some((frame) => frame.type === 'peer-left'), 'alice was not told bob left');

    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'after-1', payload: OFFER });
    assert.equal((await again.next('signal')).id, 'after-1');
    again.send({ v: 1, type: 'signal', to: 'alice', id: 'after-2', payload: ANSWER });
    assert.equal((await alice.next('signal')).id, 'after-2');
    await Promise.all([alice.close(), again.close()]);
  });

  it("frees a crashed process's seats once its lease expires, and tells the member left behind", async () => {
    const doomed = await start();
    const erin = await joined(a.url, 'expire', 'erin');
    await joined(doomed.url, 'expire', 'dave');
    await erin.next('peer-joined');
    const frank = await connect(b.url);
    assert.equal((await frank.join('expire', 'frank')).code, 'room-full', 'dave holds a live seat');

    await doomed.kill('SIGKILL');
    // No one cleaned up; the seat stops counting when the dead process's lease runs out.
    const answer = await eventually(
      async () => {
        await delay(100); // well under the per-socket rate limit
        const reply = await frank.join('expire', 'frank');
        return reply.type === 'joined' ? reply : undefined;
      },
      LEASE_MS * 10,
      'the crashed process still holds its seat',
    );
    assert.deepEqual(answer.peers, [{ id: 'erin', name: 'ERIN' }]);
    assert.deepEqual(await erin.next('peer-left'), { v: 1, type: 'peer-left', peer: 'dave' });
    assert.equal((await erin.next('peer-joined')).peer.id, 'frank');
    const seats = await redis.client.hgetall('p2p-call:room:expire');
    assert.deepEqual(Object.keys(seats).sort(), ['erin', 'frank']);
    await Promise.all([erin.close(), frank.close()]);
  });

  it('SIGTERM drains: clients get 1001, rejoin elsewhere, and the process gives up its lease and seats', async () => {
    const leaving = await start();
    const alice = await joined(a.url, 'drain', 'alice');
    const bob = await joined(leaving.url, 'drain', 'bob');
    await alice.next('peer-joined');
    const node = JSON.parse((await redis.client.hgetall('p2p-call:room:drain')).bob).node;
    assert.equal(await redis.client.exists(`p2p-call:node:${node}`), 1);

    const exit = leaving.kill('SIGTERM');
    assert.equal((await bob.closed).code, 1001);
    assert.deepEqual(await exit, { code: 0, signal: null });
    assert.equal(await redis.client.exists(`p2p-call:node:${node}`), 0, 'lease deleted on a clean stop');
    assert.deepEqual(await alice.next('peer-left'), { v: 1, type: 'peer-left', peer: 'bob' });

    const again = await joined(c.url, 'drain', 'bob');
    assert.equal((await alice.next('peer-joined')).peer.id, 'bob');
    again.send({ v: 1, type: 'signal', to: 'alice', id: 'd1', payload: OFFER });
    assert.equal((await alice.next('signal')).id, 'd1');
    for (const line of leaving.lines) assert.ok(!line.includes('v=0'), `no SDP in the log: ${line}`);
    await Promise.all([alice.close(), again.close()]);
  });

  it('a process that finds its lease gone (Redis away too long) makes its sockets rejoin with 1012', async () => {
    const alice = await joined(a.url, 'lease', 'alice');
    const node = JSON.parse((await redis.client.hgetall('p2p-call:room:lease')).alice).node;
    // What another process sees after a long Redis outage: the lease expired, so these seats may be gone.
    await redis.client.del(`p2p-call:node:${node}`);
    assert.equal((await alice.closed).code, 1012);
    assert.equal(await redis.client.exists(`p2p-call:node:${node}`), 1, 'the lease is taken again');
    const metrics = await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text();
    assert.match(metrics, /^p2p_call_redis_lease_lost_total 1$/m);
    const again = await joined(a.url, 'lease', 'alice');
    await again.close();
  });

  it('a stray or corrupt message on a process channel is dropped and counted, not fatal', async () => {
    const alice = await joined(a.url, 'stray', 'alice');
    const node = JSON.parse((await redis.client.hgetall('p2p-call:room:stray')).alice).node;
    for (const junk of ['not json', '{"c":"1"}', '{"c":99999,"t":"{}"}', '[]']) {
      await redis.client.publish(`p2p-call:deliver:${node}`, junk);
    }
    await redis.client.hset('p2p-call:room:stray', 'mallory', 'not a seat');
    const bob = await joined(b.url, 'stray', 'bob');
    assert.equal((await alice.next('peer-joined')).peer.id, 'bob');
    const metrics = await eventually(async () => {
      const text = await (await fetch(`http://127.0.0.1:${a.port}/metrics`)).text();
      return /^p2p_call_backplane_dropped_total [4-9]/m.test(text) ? text : undefined;
    });
    assert.match(metrics, /^p2p_call_redis_up 1$/m);
    assert.ok(
      alice.pending().every((frame) => frame.type !== 'error'),
      JSON.stringify(alice.pending()),
    );
    await Promise.all([alice.close(), bob.close()]);
  });
});

describe('Redis backplane configuration', () => {
  it('a process that cannot reach REDIS_URL refuses to start, without echoing the URL or its password', async () => {
    const { freePort } = await import('./redis-harness.mjs');
    const port = await freePort();
    await assert.rejects(
      startNode({ REDIS_URL: `redis://:hunter2-password@127.0.0.1:${port}` }),
      (error) => /Cannot reach Redis/.test(error.message) && !error.message.includes('hunter2'),
    );
  });

  it('refuses a REDIS_URL that is not a redis URL', async () => {
    await assert.rejects(startNode({ REDIS_URL: 'http://127.0.0.1:6379' }), /must start with redis:\/\//);
  });
});
