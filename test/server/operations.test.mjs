// What an operator sees: /healthz, Prometheus /metrics, and JSON log lines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonLogger } from '../../dist/server/index.js';
import { OFFER, connect, eventually, joined, startServer } from './helpers.mjs';

/** Parses Prometheus text into { 'name' or 'name{labels}': value }, checking every sample has HELP and TYPE. */
function parsePrometheus(text) {
  const samples = {};
  const described = new Set();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-z0-9_]+) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        assert.match(comment[3], /^(counter|gauge)$/);
        described.add(comment[2]);
      }
      continue;
    }
    const sample = /^([a-z0-9_]+)(\{reason="[a-z-]+"\})? (\d+(?:\.\d+)?)$/.exec(line);
    assert.ok(sample, `not a valid sample line: ${line}`);
    assert.ok(described.has(sample[1]), `${sample[1]} has no TYPE line`);
    samples[sample[1] + (sample[2] ?? '')] = Number(sample[3]);
  }
  return samples;
}

describe('operations', () => {
  let server;
  let base;
  before(async () => {
    ({ server } = await startServer());
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  it('answers /healthz with 200 ok', async () => {
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'ok\n');
  });

  it('serves Prometheus metrics: connections, rooms, relayed messages, rejected frames by reason', async () => {
    const alice = await joined(server.url, 'm-room', 'alice');
    const bob = await joined(server.url, 'm-room', 'bob');
    const mallory = await connect(server.url);
    for (let i = 0; i < 3; i += 1) alice.send({ v: 1, type: 'signal', to: 'bob', id: `m${i}`, payload: OFFER });
    mallory.send('not json');
    mallory.send({ v: 1, type: 'nope' });
    await mallory.next('error');
    await mallory.next('error');
    for (let i = 0; i < 3; i += 1) await bob.next('signal');
    await assert.rejects(connect(`ws://127.0.0.1:${server.port}/elsewhere`));

    const response = await fetch(`${base}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const metrics = parsePrometheus(await response.text());
    assert.equal(metrics.p2p_call_connections, 3);
    assert.equal(metrics.p2p_call_rooms, 1);
    assert.equal(metrics.p2p_call_relayed_messages_total, 3);
    assert.equal(metrics.p2p_call_joins_total, 2);
    assert.equal(metrics['p2p_call_rejected_frames_total{reason="bad-json"}'], 1);
    assert.equal(metrics['p2p_call_rejected_frames_total{reason="unknown-type"}'], 1);
    assert.equal(metrics['p2p_call_refused_upgrades_total{reason="not-found"}'], 1);
    assert.ok(metrics.p2p_call_frames_received_total >= 7);
    assert.ok(metrics.p2p_call_heap_used_bytes > 0);

    await Promise.all([alice.close(), bob.close(), mallory.close()]);
    await eventually(async () => parsePrometheus(await (await fetch(`${base}/metrics`)).text()).p2p_call_rooms === 0);
  });

  it('can switch /metrics off', async () => {
    const { server: quiet } = await startServer({ metrics: false });
    assert.equal((await fetch(`http://127.0.0.1:${quiet.port}/metrics`)).status, 404);
    await quiet.close();
  });

  it('writes one JSON object per line with time, level and event', () => {
    const written = [];
    const write = process.stdout.write;
    process.stdout.write = (chunk) => written.push(String(chunk)) > 0;
    try {
      jsonLogger('joined', { rooms: 1 });
      jsonLogger('open-mode', { level: 'warn', message: 'm' });
    } finally {
      process.stdout.write = write;
    }
    const [info, warn] = written.map((line) => {
      assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
      return JSON.parse(line);
    });
    assert.ok(!Number.isNaN(Date.parse(info.time)));
    assert.equal(info.level, 'info');
    assert.equal(info.event, 'joined');
    assert.equal(info.rooms, 1);
    assert.equal(warn.level, 'warn');
  });
});
