// Fuzz and abuse, against a real server on loopback: 100,000 hostile frames over several token-holding sockets,
// floods, forged/expired/cross-origin upgrades, third joiners and sockets closed before joining, while an honest
// room keeps relaying throughout. The server must stay up, keep its memory bounded and forget every fuzz room.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import { mintJoinToken } from '../../dist/server/index.js';
import { delay, eventually, startServer } from './helpers.mjs';
import { hostileFrame, seededRandom } from './hostile-frames.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const SECRET = 'fuzz-secret-0123456789-abcdefghijklmnopq';
const ORIGIN = 'https://app.example.com';
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const WORKERS = 8;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
const MiB = 1024 * 1024;

const token = (room, participant, secret = SECRET) => mintJoinToken({ secret, room, participant, ttlSeconds: 120 });
const mb = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

/**
 * Frames the server took in: those that reached its message handler, and those ws refused below it (too large,
 * invalid UTF-8), which close the socket and are counted only as rejections.
 */
const framesRead = (stats) => stats.received + (stats.rejected['too-large'] ?? 0) + (stats.rejected['bad-utf8'] ?? 0);

function settledHeap() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Samples the heap while the abuse runs, to report the peak as well as the settled figures. */
function heapSampler() {
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
  return () => (clearInterval(timer), peak);
}

/** Opens a raw socket; resolves with it, or with the HTTP status of a refused upgrade. */
function open(url, { origin = ORIGIN, headers } = {}) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { origin, headers });
    socket.on('error', () => {});
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      socket.terminate();
      resolve({ status: response.statusCode });
    });
    socket.once('close', () => resolve({ status: 'closed' }));
  });
}

const withToken = (url, value) => `${url}?token=${encodeURIComponent(value)}`;

/**
 * Two honest members who ping-pong a signal every few milliseconds for as long as the abuse lasts.
 * Resolves (on stop) with the round-trip times and whether every ping came back, in order.
 */
async function honestRoom(url) {
  const alice = (await open(withToken(url, await token('honest', 'alice')))).socket;
  const bob = (await open(withToken(url, await token('honest', 'bob')))).socket;
  const joined = (socket, peer) =>
    new Promise((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.send(JSON.stringify({ v: 1, type: 'join', room: 'honest', peer, name: peer }));
    });
  assert.equal((await joined(alice, 'alice')).type, 'joined');
  assert.equal((await joined(bob, 'bob')).type, 'joined');

  let answers = 0;
  bob.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === 'signal' && frame.from === 'alice') {
      answers += 1;
      bob.send(
        JSON.stringify({ v: 1, type: 'signal', to: 'alice', id: frame.id, payload: { type: 'answer', sdp: 'v=0' } }),
      );
    }
  });
  const sentAt = new Map();
  const rtts = [];
  let next = 0;
  let outOfOrder = 0;
  let expected = 0;
  alice.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type !== 'signal') return;
    const n = Number(frame.id);
    if (n !== expected) outOfOrder += 1;
    expected = n + 1;
    rtts.push(performance.now() - sentAt.get(n));
    sentAt.delete(n);
  });
  const timer = setInterval(() => {
    if (alice.readyState !== WebSocket.OPEN) return;
    sentAt.set(next, performance.now());
    alice.send(
      JSON.stringify({ v: 1, type: 'signal', to: 'bob', id: String(next++), payload: { type: 'offer', sdp: 'v=0' } }),
    );
  }, 5);
  timer.unref();

  return {
    get answered() {
      return rtts.length;
    },
    async stop() {
      clearInterval(timer);
      await eventually(() => sentAt.size === 0, 3000, `${sentAt.size} honest pings never came back`);
      alice.close();
      bob.close();
      const sorted = [...rtts].sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      // Frames the server read from this room: two joins, the pings, and bob's answers.
      const frames = 2 + next + answers;
      return { sent: next, answered: rtts.length, frames, outOfOrder, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) };
    },
  };
}

/** What the fuzzing sockets count as they go (shared by the workers of one run). */
const newTally = () => ({
  sent: 0,
  leaves: 0,
  replies: 0,
  reconnects: 0,
  refusedReconnects: 0,
  closes: {},
  kinds: {},
  notClosed: [],
});

/** One fuzzing socket: sends its share of hostile frames, reconnecting whenever the server closes it. */
async function fuzzWorker(url, index, count, random, tally) {
  const self = `w${index}`;
  const ctx = { room: `fuzz-${index >> 1}`, self, partner: `w${index ^ 1}` };
  const seat = await token(ctx.room, self);
  let socket;
  const connect = async () => {
    for (;;) {
      const result = await open(withToken(url, seat));
      if (result.socket) {
        socket = result.socket;
        socket.on('message', () => (tally.replies += 1));
        socket.on('close', (code) => (tally.closes[code] = (tally.closes[code] ?? 0) + 1));
        return;
      }
      tally.refusedReconnects += 1;
      await delay(5);
    }
  };
  await connect();
  for (let i = 0; i < count; i += 1) {
    if (socket.readyState !== WebSocket.OPEN) {
      if (socket.readyState !== WebSocket.CLOSED) await new Promise((resolve) => socket.once('close', resolve));
      await connect();
      tally.reconnects += 1;
    }
    const frame = hostileFrame(random, ctx);
    tally.kinds[frame.kind] = (tally.kinds[frame.kind] ?? 0) + 1;
    // A second join on a joined socket is only `already-joined`; leave first so the foreign join meets the token.
    if (frame.kind === 'join-foreign') {
      socket.send('{"v":1,"type":"leave"}');
      tally.leaves += 1;
    }
    socket.send(frame.data, { binary: frame.binary });
    tally.sent += 1;
    if (frame.closes) {
      // Frames written after one the server answers by closing would never be read: wait for the close instead.
      const closed = new Promise((resolve) => socket.once('close', () => resolve(true)));
      if (!(await Promise.race([closed, delay(3000).then(() => false)]))) tally.notClosed.push(frame.kind);
    } else if (i % 64 === 63) {
      // Yield now and then so the server (same event loop) reads, and the replies do not pile up unread.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  socket.close();
}

const ABUSE_ROUNDS = 50;

/** Upgrade attempts that must all be refused, or admitted and then refused at join (two join frames a round). */
async function abusiveUpgrades(url) {
  const outcomes = {};
  const note = (what, result) => (outcomes[`${what}:${result}`] = (outcomes[`${what}:${result}`] ?? 0) + 1);
  const now = Math.floor(Date.now() / 1000);
  const key = new TextEncoder().encode(SECRET);
  for (let i = 0; i < ABUSE_ROUNDS; i += 1) {
    note('forged', (await open(withToken(url, await token('honest', 'bob', 'x'.repeat(40))))).status);
    const expired = await new SignJWT({ room: 'honest' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setExpirationTime(now - 3600)
      .sign(key);
    note('expired', (await open(withToken(url, expired))).status);
    const noneAlg = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ room: 'honest', sub: 'bob', exp: now + 60 })).toString('base64url')}.`;
    note('alg-none', (await open(withToken(url, noneAlg))).status);
    note('no-token', (await open(url)).status);
    note(
      'cross-origin',
      (await open(withToken(url, await token('honest', 'bob')), { origin: 'https://evil.example' })).status,
    );
    note('no-origin', (await open(withToken(url, await token('honest', 'bob')), { origin: null })).status);

    // A third person with a valid token for the honest room: admitted, then refused a seat.
    const { socket } = await open(withToken(url, await token('honest', `carol${i}`)));
    const reply = await new Promise((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString())));
      socket.send(JSON.stringify({ v: 1, type: 'join', room: 'honest', peer: `carol${i}` }));
    });
    note('third-joiner', reply.code);
    socket.close();

    // A token holder trying to sit in bob's seat under its own token: refused, bob keeps it.
    const impostor = (await open(withToken(url, await token('honest', 'mallory')))).socket;
    const refusal = await new Promise((resolve) => {
      impostor.once('message', (data) => resolve(JSON.parse(data.toString())));
      impostor.send(JSON.stringify({ v: 1, type: 'join', room: 'honest', peer: 'bob' }));
    });
    note('impostor', refusal.code);
  }
  return outcomes;
}

/** Sockets that open and go away before (or while) joining. */
async function closeBeforeJoin(url, count) {
  const seat = await token('ghosts', 'ghost');
  for (let i = 0; i < count; i += 1) {
    const { socket } = await open(withToken(url, seat));
    if (i % 3 === 0) socket.terminate();
    else if (i % 3 === 1) socket.close();
    else {
      socket.send('{"v":1,"type":"join","room":"gho');
      socket.terminate();
    }
  }
}

describe('fuzz and abuse', { timeout: 90_000 }, () => {
  let server;
  before(async () => {
    ({ server } = await startServer({
      open: false,
      secret: SECRET,
      allowedOrigins: [ORIGIN],
      // Rate limits raised so every hostile frame reaches the parser and validator; floods are tested below.
      rateLimit: { perSecond: 1_000_000, burst: 1_000_000, maxDropped: 1_000_000 },
      maxConnectionsPerIp: 10_000,
    }));
  });
  after(() => server.close());

  it(`survives ${FRAMES.toLocaleString('en')} hostile frames while an honest room keeps relaying`, async (t) => {
    // Warm up (JIT, lazily compiled paths) before the baseline, so the baseline is not mostly code.
    await Promise.all(
      [0, 1].map((i) =>
        fuzzWorker(server.url, i, 2000, seededRandom(SEED - 1 - i), newTally()),
      ),
    );
    await eventually(() => server.stats().connections === 0, 3000, 'warm-up sockets linger');
    const heapBefore = settledHeap();
    const readBefore = framesRead(server.stats());

    const honest = await honestRoom(server.url);
    const stopSampling = heapSampler();
    const tally = newTally();
    const started = performance.now();
    const [, upgrades] = await Promise.all([
      Promise.all(
        Array.from({ length: WORKERS }, (_, i) =>
          fuzzWorker(server.url, i, FRAMES / WORKERS, seededRandom(SEED + i * 7919), tally),
        ),
      ),
      abusiveUpgrades(server.url),
      closeBeforeJoin(server.url, 300),
    ]);
    const seconds = (performance.now() - started) / 1000;
    const answeredDuringAbuse = honest.answered;
    const pings = await honest.stop();
    const heapPeak = stopSampling();

    await eventually(() => server.stats().connections === 0, 5000, 'fuzz sockets linger');
    const heapAfter = settledHeap();
    const stats = server.stats();
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);

    const received = framesRead(stats) - readBefore;
    // Every frame written on an open socket must be read; only the half-written joins of closeBeforeJoin may not be.
    const written = tally.sent + tally.leaves + pings.frames + 2 * ABUSE_ROUNDS;
    t.diagnostic(
      `seed ${SEED}; ${tally.sent} frames (server read ${received} of ${written} written, honest room included) in ${seconds.toFixed(1)} s (${Math.round(tally.sent / seconds)}/s), ${tally.replies} replies, ${tally.reconnects} reconnects, closes ${JSON.stringify(tally.closes)}`,
    );
    t.diagnostic(`frame kinds ${JSON.stringify(tally.kinds)}`);
    t.diagnostic(
      `server rejected ${JSON.stringify(stats.rejected)}; refused upgrades ${JSON.stringify(stats.refused)}; relayed ${stats.relayed}`,
    );
    t.diagnostic(`abusive upgrades ${JSON.stringify(upgrades)}`);
    t.diagnostic(
      `honest room: ${pings.answered}/${pings.sent} pings answered (${answeredDuringAbuse} during the abuse), out of order ${pings.outOfOrder}, rtt p50 ${pings.p50.toFixed(1)} ms p99 ${pings.p99.toFixed(1)} ms max ${pings.max.toFixed(1)} ms`,
    );
    t.diagnostic(
      `heap: before ${mb(heapBefore)}, peak ${mb(heapPeak)}, after ${mb(heapAfter)} (delta ${mb(heapAfter - heapBefore)}); rss ${mb(process.memoryUsage().rss)}`,
    );

    assert.equal(tally.sent, FRAMES);
    assert.deepEqual(tally.notClosed, [], 'frames the server must answer by closing the socket did close it');
    assert.ok(received >= written, `the server read every frame written (${received} of ${written})`);
    assert.equal(health.status, 200, 'the server is still up');
    assert.equal(stats.rooms, 0, 'every room was forgotten');
    assert.equal(stats.rejected['internal-error'], undefined, 'no frame reached the last-resort guard');
    assert.ok(stats.rejected['bad-json'] > 0 && stats.rejected['bad-frame'] > 0 && stats.rejected['unknown-type'] > 0);
    assert.equal({}.polluted, undefined, 'Object.prototype untouched');

    assert.equal(pings.answered, pings.sent, 'every honest ping came back');
    assert.equal(pings.outOfOrder, 0);
    assert.ok(answeredDuringAbuse >= 50, `the honest room kept relaying during the abuse (${answeredDuringAbuse})`);

    for (const [outcome, count] of Object.entries(upgrades)) {
      const [what, result] = outcome.split(':');
      const expected = {
        forged: '401',
        expired: '401',
        'alg-none': '401',
        'no-token': '401',
        'cross-origin': '403',
        'no-origin': '403',
        'third-joiner': 'room-full',
        impostor: 'unauthorized',
      }[what];
      assert.equal(result, expected, `${what} -> ${result} (${count}x)`);
    }
    assert.ok(heapAfter - heapBefore < 16 * MiB, `heap grew by ${mb(heapAfter - heapBefore)}`);
    assert.ok(heapPeak < heapBefore + 256 * MiB, `heap peaked at ${mb(heapPeak)}`);
  });
});

describe('floods against the default limits', { timeout: 60_000 }, () => {
  it('closes flooding sockets, refuses connection floods, and the honest room never notices', async (t) => {
    const { server } = await startServer({ open: false, secret: SECRET, allowedOrigins: [ORIGIN] });
    const heapBefore = settledHeap();
    const honest = await honestRoom(server.url);

    // Ten token holders flood as fast as the socket takes it: each is closed with 1008 once its patience runs out.
    const floods = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const { socket } = await open(withToken(server.url, await token(`flood-${i}`, 'f')));
        const closed = new Promise((resolve) => socket.once('close', resolve));
        let sent = 0;
        while (socket.readyState === WebSocket.OPEN && sent < 20_000) {
          socket.send('{"v":1,"type":"signal","to":"nobody","id":"f","payload":{"type":"x"}}');
          sent += 1;
          if (sent % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        return { code: await closed, sent };
      }),
    );

    // A connection flood from one address: the first 50 sockets get in, the rest get 429.
    const seat = await token('crowd', 'c');
    const crowd = await Promise.all(Array.from({ length: 120 }, () => open(withToken(server.url, seat))));
    const admitted = crowd.filter((result) => result.socket);
    const tooMany = crowd.filter((result) => result.status === 429).length;
    for (const { socket } of admitted) socket.terminate();

    const pings = await honest.stop();
    await eventually(() => server.stats().connections === 0, 5000, 'flood sockets linger');
    const heapAfter = settledHeap();
    const stats = server.stats();
    t.diagnostic(`floods: ${floods.map((flood) => `${flood.code}@${flood.sent}`).join(' ')}`);
    t.diagnostic(
      `connection flood: ${admitted.length} admitted, ${tooMany} refused with 429 (the 2 honest sockets hold slots too)`,
    );
    t.diagnostic(`server rejected ${JSON.stringify(stats.rejected)}; refused ${JSON.stringify(stats.refused)}`);
    t.diagnostic(
      `honest room: ${pings.answered}/${pings.sent} answered, rtt p50 ${pings.p50.toFixed(1)} ms p99 ${pings.p99.toFixed(1)} ms`,
    );
    t.diagnostic(`heap: before ${mb(heapBefore)}, after ${mb(heapAfter)}`);

    for (const flood of floods) assert.equal(flood.code, 1008);
    assert.equal(admitted.length + tooMany, 120);
    assert.equal(admitted.length, 48, 'the default limit is 50 per address; the honest pair holds two');
    assert.equal(pings.answered, pings.sent);
    assert.equal(pings.outOfOrder, 0);
    assert.ok(heapAfter - heapBefore < 16 * MiB, `heap grew by ${mb(heapAfter - heapBefore)}`);
    await server.close();
  });
});
