// The limits that keep one client from taking the server for itself: origins, connections per address, frame rate,
// frame size, dead sockets, and a shutdown that ends within its deadline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFFER, connect, delay, eventually, joined, startServer } from './helpers.mjs';

describe('origin allowlist', () => {
  it('admits listed origins and refuses others, and requests without an Origin, with 403', async () => {
    const { server } = await startServer({ allowedOrigins: ['https://ats.example.com', 'http://localhost:8787/'] });
    const good = await connect(server.url, { origin: 'https://ats.example.com' });
    const local = await connect(server.url, { origin: 'http://localhost:8787' });
    for (const origin of ['https://evil.example.com', 'https://ats.example.com.evil.example', 'null', undefined]) {
      await assert.rejects(connect(server.url, origin ? { origin } : {}), (error) => error.status === 403, `${origin}`);
    }
    assert.equal(server.stats().refused.origin, 4);
    await Promise.all([good.close(), local.close()]);
    await server.close();
  });
});

describe('connections per address', () => {
  it('refuses the connection over the limit with 429 and frees slots when sockets close', async () => {
    const { server } = await startServer({ maxConnectionsPerIp: 3 });
    const clients = [await connect(server.url), await connect(server.url), await connect(server.url)];
    await assert.rejects(connect(server.url), (error) => error.status === 429);
    await clients.pop().close();
    await eventually(async () => {
      const client = await connect(server.url).catch(() => undefined);
      if (client) clients.push(client);
      return client;
    });
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('gives the slot back when an upgrade is refused for its token', async () => {
    const { server } = await startServer({ open: false, secret: 's'.repeat(32), maxConnectionsPerIp: 2 });
    for (let i = 0; i < 10; i += 1) {
      await assert.rejects(connect(`${server.url}?token=forged-${i}`), (error) => error.status === 401);
    }
    assert.equal(server.stats().refused['too-many-connections'], undefined);
    await server.close();
  });
});

describe('frame rate', () => {
  const rateLimit = { perSecond: 20, burst: 20, maxDropped: 40 };

  it('answers a short burst over the limit with one rate-limited error and keeps the socket', async () => {
    const { server } = await startServer({ rateLimit });
    const client = await connect(server.url);
    for (let i = 0; i < 30; i += 1) client.send({ v: 1, type: 'leave' });
    assert.equal((await client.next('error')).code, 'rate-limited');
    await delay(1100);
    assert.ok(client.isOpen);
    assert.deepEqual(client.pending(), [], 'one notice per burst, not one per dropped frame');
    assert.equal((await client.join('after-burst', 'p')).type, 'joined');
    assert.equal(server.stats().rejected['rate-limited'], 10);
    await client.close();
    await server.close();
  });

  it('closes a socket that keeps flooding (1008) and keeps relaying for others', async () => {
    const { server } = await startServer({ rateLimit });
    const alice = await joined(server.url, 'calm', 'alice');
    const bob = await joined(server.url, 'calm', 'bob');
    const flooder = await connect(server.url);
    for (let i = 0; i < 500 && flooder.isOpen; i += 1) flooder.send('{"v":1,"type":"leave"}');
    assert.equal((await flooder.closed).code, 1008);
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'calm-1', payload: OFFER });
    assert.equal((await bob.next('signal')).id, 'calm-1');
    await Promise.all([alice.close(), bob.close()]);
    await server.close();
  });
});

describe('frame size', () => {
  it('relays a large but legal 60 KiB signal', async () => {
    const { server } = await startServer();
    const alice = await joined(server.url, 'big', 'alice');
    const bob = await joined(server.url, 'big', 'bob');
    const payload = { type: 'offer', sdp: 'a'.repeat(60 * 1024) };
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'big-1', payload });
    assert.equal((await bob.next('signal')).payload.sdp.length, 60 * 1024);
    await Promise.all([alice.close(), bob.close()]);
    await server.close();
  });

  it('closes a socket sending over 64 KiB with 1009 and counts it', async () => {
    const { server } = await startServer();
    const client = await connect(server.url);
    client.send(Buffer.alloc(64 * 1024 + 1, 0x20).toString());
    assert.equal((await client.closed).code, 1009);
    await eventually(() => server.stats().rejected['too-large'] === 1);
    await server.close();
  });
});

describe('slow consumers', () => {
  it('cuts a socket that stops reading once over 1 MiB is queued for it, and tells the other member', async () => {
    const { server } = await startServer({ rateLimit: { perSecond: 100_000, burst: 100_000, maxDropped: 100_000 } });
    const alice = await joined(server.url, 'slow', 'alice');
    const bob = await joined(server.url, 'slow', 'bob');
    bob.socket.pause();
    const payload = { type: 'offer', sdp: 'x'.repeat(60 * 1024) };
    // Far more than loopback's socket buffers hold, so the rest queues in the server.
    for (let i = 0; i < 400 && !server.stats().rejected['slow-consumer']; i += 1) {
      alice.send({ v: 1, type: 'signal', to: 'bob', id: `slow-${i}`, payload });
      if (i % 20 === 19) await delay(10);
    }
    await eventually(() => server.stats().rejected['slow-consumer'] === 1, 5000, 'the slow socket was not cut');
    bob.socket.resume();
    await bob.closed;
    assert.deepEqual(await alice.next('peer-left'), { v: 1, type: 'peer-left', peer: 'bob' });
    await alice.close();
    await server.close();
  });
});

describe('heartbeat', () => {
  it('terminates a socket that stops answering pings and frees its seat', async () => {
    const { server } = await startServer({ heartbeatIntervalMs: 100 });
    const alice = await joined(server.url, 'hb', 'alice');
    const zombie = await connect(server.url, { autoPong: false });
    assert.equal((await zombie.join('hb', 'zombie')).type, 'joined');
    assert.deepEqual(await alice.next('peer-left'), { v: 1, type: 'peer-left', peer: 'zombie' });
    await zombie.closed;
    const carol = await joined(server.url, 'hb', 'carol');
    await delay(350);
    assert.ok(alice.isOpen && carol.isOpen, 'live sockets answer pings and stay');
    await Promise.all([alice.close(), carol.close()]);
    await server.close();
  });
});

describe('shutdown', () => {
  it('closes every socket with 1001 and cuts the ones that do not answer at the deadline', async () => {
    const { server } = await startServer({ shutdownTimeoutMs: 300 });
    const alice = await joined(server.url, 'bye', 'alice');
    const stuck = await joined(server.url, 'bye', 'stuck');
    stuck.socket.pause();
    const started = Date.now();
    await server.close();
    const elapsed = Date.now() - started;
    assert.equal((await alice.closed).code, 1001);
    // The stuck client never answered the close; the server waited for the deadline, then cut it.
    stuck.socket.resume();
    await stuck.closed;
    assert.ok(elapsed >= 250 && elapsed < 2000, `close took ${elapsed} ms`);
    assert.equal(server.stats().connections, 0);
    await assert.rejects(connect(server.url));
  });
});

describe('X-Forwarded-For', () => {
  /** Connects from `from` (a loopback address of this host) claiming `forwarded`; resolves with the status. */
  const attempt = (server, from, forwarded) =>
    connect(server.url, { localAddress: from, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }).then(
      (client) => {
        opened.push(client);
        return 101;
      },
      (error) => error.status,
    );
  const opened = [];
  const closeAll = () => Promise.all(opened.splice(0).map((client) => client.close()));

  it('is ignored from an address that is not a trusted proxy: a forged header does not dodge the per-IP limit', async () => {
    for (const trustProxy of [['127.0.0.1'], true]) {
      const { server } = await startServer({ trustProxy, maxConnectionsPerIp: 2 });
      const statuses = [];
      for (let i = 1; i <= 4; i += 1) statuses.push(await attempt(server, '127.0.0.2', `198.51.100.${i}`));
      assert.deepEqual(statuses, [101, 101, 429, 429], `trustProxy ${JSON.stringify(trustProxy)}`);
      await closeAll();
      await server.close();
    }
  });

  it('is believed from a trusted proxy: each forwarded client has its own limit', async () => {
    const { server } = await startServer({ trustProxy: ['127.0.0.1'], maxConnectionsPerIp: 2 });
    const statuses = [];
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.1', '198.51.100.1']) {
      statuses.push(await attempt(server, '127.0.0.1', client));
    }
    assert.deepEqual(statuses, [101, 101, 101, 101, 429]);
    await closeAll();
    await server.close();
  });

  it('is read from the right, one hop per trusted proxy, so what the client wrote on the left is never used', async () => {
    const { server } = await startServer({ trustProxy: ['127.0.0.1', '10.0.0.0/8'], maxConnectionsPerIp: 1 });
    // The client 198.51.100.7 reached an inner proxy 10.1.2.3, which reached the server through 127.0.0.1.
    assert.equal(await attempt(server, '127.0.0.1', '198.51.100.7, 10.1.2.3'), 101);
    // The same client again, having written an address of its choice into the header first: still itself.
    assert.equal(await attempt(server, '127.0.0.1', '203.0.113.99, 198.51.100.7, 10.1.2.3'), 429);
    assert.equal(await attempt(server, '127.0.0.1', '203.0.113.99,198.51.100.7:51234, 10.1.2.3'), 429);
    // A different client behind the same proxies has a slot of its own.
    assert.equal(await attempt(server, '127.0.0.1', '198.51.100.8, 10.1.2.3'), 101);
    await closeAll();
    await server.close();
  });

  it('refuses proxy entries that are not addresses or CIDR ranges', async () => {
    for (const entry of ['10.0.0.0/33', 'proxy.example.com', '::1/129', '*']) {
      await assert.rejects(startServer({ trustProxy: [entry] }), { name: 'ConfigError', message: /proxy/ }, entry);
    }
  });
});

describe('process-wide caps', () => {
  it('refuses connections over maxConnections with 503, whatever address they come from, and counts them', async () => {
    const { server } = await startServer({ maxConnections: 3 });
    const clients = [];
    for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4'])
      clients.push(await connect(server.url, { localAddress: from }));
    await assert.rejects(connect(server.url, { localAddress: '127.0.0.5' }), (error) => error.status === 503);
    assert.equal(server.stats().refused['server-full'], 1);
    await clients.pop().close();
    await eventually(async () => {
      const client = await connect(server.url).catch(() => undefined);
      if (client) clients.push(client);
      return client;
    });
    await Promise.all(clients.map((client) => client.close()));
    await server.close();
  });

  it('refuses a join that would open a room over maxRooms with a server-full error, and counts it', async () => {
    const { server } = await startServer({ maxRooms: 2 });
    const alice = await joined(server.url, 'room-a', 'alice');
    const bob = await joined(server.url, 'room-b', 'bob');
    const carol = await connect(server.url);
    const refused = await carol.join('room-c', 'carol');
    assert.equal(refused.type, 'error');
    assert.equal(refused.code, 'server-full');
    assert.ok(carol.isOpen, 'the socket stays, and may try again later');
    // Rooms that exist can still be joined; a room freed makes space for a new one.
    assert.equal((await carol.join('room-a', 'carol')).type, 'joined');
    await bob.close();
    const dave = await connect(server.url);
    await eventually(async () => (await dave.join('room-d', 'dave')).type === 'joined');
    assert.ok(server.stats().rejected['server-full'] >= 1);
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    assert.match(metrics, /p2p_call_rejected_frames_total\{reason="server-full"\} \d+/);
    await Promise.all([alice.close(), carol.close(), dave.close()]);
    await server.close();
  });

  it('refuses caps that are not positive integers', async () => {
    await assert.rejects(startServer({ maxConnections: 0 }), { name: 'ConfigError' });
    await assert.rejects(startServer({ maxRooms: 1.5 }), { name: 'ConfigError' });
  });
});
