#!/usr/bin/env node
// `npm run bench:load`: the signaling server under N rooms of two simulated clients, in two set-ups in one run:
// one process with in-memory rooms, and two processes sharing rooms through a real redis-server (the two members of
// every room on different processes, so every signal crosses the backplane).
//
//   node bench/signaling-load.mjs [--rooms 200] [--cap-seconds 60] [--out bench/results/signaling-load.md]
//
// Each client is a Node `ws` socket speaking the real protocol: join, then per room one offer, one answer and four
// ICE candidates each way, every message only after the previous step of that room (as a browser negotiates).
// Loopback only; every process it starts is stopped at the end, and a hard cap stops the whole run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { startNode, startRedis } from '../test/server/redis-harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '200' },
    'cap-seconds': { type: 'string', default: '60' },
    out: { type: 'string', default: join(root, 'bench/results/signaling-load.md') },
  },
});
const ROOMS = Number(values.rooms);
const CAP_MS = Number(values['cap-seconds']) * 1000;
const CANDIDATES = 4;
/** A realistic offer size: browsers send 3-6 KB of SDP for audio + video + data. */
const SDP = `v=0\r\n${'a=candidate-ish line of a session description used only for its size\r\n'.repeat(60)}`;

const cleanup = [];
const hardStop = setTimeout(async () => {
  console.error(`signaling-load: cap of ${CAP_MS / 1000} s reached; stopping everything.`);
  await Promise.allSettled(cleanup.map((stop) => stop()));
  process.exit(1);
}, CAP_MS);
hardStop.unref();

const rssBytes = (pid) => Number(/VmRSS:\s+(\d+)/u.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const now = () => performance.now();

/** A socket with a per-type inbox, so a step can wait for "the next signal" without racing. */
class Client {
  constructor(url) {
    this.socket = new WebSocket(url);
    this.waiters = [];
    this.inbox = [];
    this.socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'signal' && typeof frame.payload.sent === 'number') latencies.push(now() - frame.payload.sent);
      const waiter = this.waiters.findIndex(({ match }) => match(frame));
      if (waiter === -1) this.inbox.push(frame);
      else this.waiters.splice(waiter, 1)[0].resolve(frame);
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
  }

  next(match) {
    const queued = this.inbox.findIndex(match);
    if (queued !== -1) return Promise.resolve(this.inbox.splice(queued, 1)[0]);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  send(frame) {
    this.socket.send(JSON.stringify(frame));
  }

  signal(to, id, payload) {
    this.send({ v: 1, type: 'signal', to, id, payload: { ...payload, sent: now() } });
  }
}

let latencies = [];

async function negotiate(room, a, b) {
  a.signal('b', `${room}-o`, { type: 'offer', sdp: SDP });
  await b.next((f) => f.type === 'signal' && f.payload.type === 'offer');
  b.signal('a', `${room}-a`, { type: 'answer', sdp: SDP });
  await a.next((f) => f.type === 'signal' && f.payload.type === 'answer');
  for (let i = 0; i < CANDIDATES; i += 1) {
    const candidate = { candidate: `candidate:${i} 1 udp 2122260223 192.0.2.${i} 5${i}000 typ host`, sdpMid: '0' };
    a.signal('b', `${room}-ca${i}`, { type: 'candidate', candidate });
    b.signal('a', `${room}-cb${i}`, { type: 'candidate', candidate });
  }
  const isCandidate = (f) => f.type === 'signal' && f.payload.type === 'candidate';
  for (let i = 0; i < CANDIDATES; i += 1) await Promise.all([a.next(isCandidate), b.next(isCandidate)]);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** One set-up: `nodes` server processes (already started); room i's members go to nodes i%n and (i+1)%n. */
async function measure(label, nodes) {
  latencies = [];
  const rssBefore = nodes.map((node) => rssBytes(node.child.pid));
  const pairs = [];
  for (let i = 0; i < ROOMS; i += 1) {
    pairs.push([new Client(nodes[i % nodes.length].url), new Client(nodes[(i + 1) % nodes.length].url)]);
  }
  await Promise.all(pairs.flat().map((client) => client.opened));

  const joinStart = now();
  await Promise.all(
    pairs.flatMap(([a, b], i) =>
      [
        [a, 'a'],
        [b, 'b'],
      ].map(([client, peer]) => {
        client.send({ v: 1, type: 'join', room: `load-${i}`, peer });
        return client
          .next((f) => f.type === 'joined' || f.type === 'error')
          .then((frame) => {
            if (frame.type !== 'joined') throw new Error(`${label}: join refused: ${frame.code}`);
          });
      }),
    ),
  );
  const joinMs = now() - joinStart;
  // Both members know each other before negotiating (the second joiner may have seen the first in `joined`).
  const exchangeStart = now();
  await Promise.all(pairs.map(([a, b], i) => negotiate(`load-${i}`, a, b)));
  const exchangeMs = now() - exchangeStart;
  const rssAfter = nodes.map((node) => rssBytes(node.child.pid));

  await Promise.all(
    pairs.flat().map(
      (client) =>
        new Promise((resolve) => {
          client.socket.once('close', resolve);
          client.socket.close();
        }),
    ),
  );
  const sorted = [...latencies].sort((x, y) => x - y);
  const connections = ROOMS * 2;
  return {
    label,
    processes: nodes.length,
    connections,
    joinsPerSecond: connections / (joinMs / 1000),
    messages: sorted.length,
    messagesPerSecond: sorted.length / (exchangeMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    bytesPerConnection: rssAfter.reduce((sum, rss, i) => sum + rss - rssBefore[i], 0) / connections,
  };
}

async function startNodes(count, env) {
  const nodes = [];
  for (let i = 0; i < count; i += 1) {
    const node = await startNode({
      P2P_CALL_MAX_CONNECTIONS_PER_IP: String(ROOMS * 4),
      P2P_CALL_MAX_CONNECTIONS: String(ROOMS * 4),
      P2P_CALL_MAX_ROOMS: String(ROOMS * 2),
      ...env,
    });
    cleanup.push(() => node.kill('SIGKILL'));
    nodes.push(node);
  }
  return nodes;
}

const results = [];
const memoryNodes = await startNodes(1, {});
// A warm-up round so JIT and socket buffers are not charged to the first set-up alone.
await measure('warm-up', memoryNodes);
results.push(await measure('1 process, in-memory rooms', memoryNodes));
await Promise.all(memoryNodes.map((node) => node.kill('SIGTERM')));

const redis = await startRedis();
cleanup.push(() => redis.stop());
const redisNodes = await startNodes(2, { REDIS_URL: redis.url });
await measure('warm-up', redisNodes);
results.push(await measure('2 processes, Redis backplane', redisNodes));
await Promise.all(redisNodes.map((node) => node.kill('SIGTERM')));
await redis.stop();
clearTimeout(hardStop);

const cpu = os.cpus()[0]?.model.replace(/\s+/gu, ' ').trim() ?? 'unknown CPU';
const fmt = (value, digits = 0) => value.toFixed(digits);
const table = [
  `Signaling load, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${ROOMS} rooms x 2 clients ` +
    `(Node \`ws\` clients in one process, join + offer/answer + ${CANDIDATES} candidates each way), loopback, ` +
    `${os.cpus().length} cores (${cpu}), load average ${os.loadavg()[0].toFixed(1)}, Node ${process.versions.node}, ` +
    'rate limits at their defaults. In the Redis set-up the two members of every room sit on different processes.',
  '',
  '| Set-up | Connections | Joins/s | Relayed msgs | Relay p50 | Relay p99 | Server RSS per connection |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.label} | ${r.connections} | ${fmt(r.joinsPerSecond)} | ${r.messages} (${fmt(r.messagesPerSecond)}/s) | ` +
      `${fmt(r.p50, 2)} ms | ${fmt(r.p99, 2)} ms | ${fmt(r.bytesPerConnection / 1024, 1)} KB |`,
  ),
  '',
].join('\n');
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, table);
process.stdout.write(`${table}\nwritten to ${values.out}\n`);
