// bench/lib/impair-relay.mjs and its models: the impaired network the bench's calls cross must do what its profile
// says, or the impaired-network figures mean nothing.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createImpairedPath } from '../../bench/lib/impair/impaired-path.mjs';
import { createLossModel, gilbertElliott, meanLoss } from '../../bench/lib/impair/loss-model.mjs';
import { seededRandom } from '../../bench/lib/impair/random.mjs';
import { startImpairRelay } from '../../bench/lib/impair-relay.mjs';

const runs = (outcomes) => {
  const lengths = [];
  let current = 0;
  for (const lost of outcomes) {
    if (lost) current++;
    else if (current) (lengths.push(current), (current = 0));
  }
  return lengths;
};

test('random loss drops its rate of packets, one at a time', () => {
  const lose = createLossModel({ model: 'random', rate: 0.01 }, seededRandom(7));
  const outcomes = Array.from({ length: 200_000 }, lose);
  const rate = outcomes.filter(Boolean).length / outcomes.length;
  assert.ok(Math.abs(rate - 0.01) < 0.001, `loss ${rate}`);
  const mean = runs(outcomes).reduce((a, b) => a + b, 0) / runs(outcomes).length;
  assert.ok(mean < 1.05, `mean run ${mean}`);
});

test('Gilbert-Elliott loss keeps the mean rate and loses in bursts of the given mean length', () => {
  const loss = { model: 'gilbert-elliott', rate: 0.03, burst: 3 };
  assert.ok(Math.abs(meanLoss(loss) - 0.03) < 1e-12);
  assert.deepEqual(gilbertElliott(0.03, 3).r, 1 / 3);
  const lose = createLossModel(loss, seededRandom(11));
  const outcomes = Array.from({ length: 300_000 }, lose);
  const rate = outcomes.filter(Boolean).length / outcomes.length;
  assert.ok(Math.abs(rate - 0.03) < 0.003, `loss ${rate}`);
  const lengths = runs(outcomes);
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  assert.ok(Math.abs(mean - 3) < 0.2, `mean burst ${mean}`);
});

test('jitter varies the delay without reordering packets, and the mean delay stays the base delay', () => {
  for (const [spacing, jitterMs, delayMs] of [
    [5, 30, 60], // a call's packet rate on the mobile profile
    [20, 30, 60], // audio alone
    [2, 5, 20], // a video burst on the Wi-Fi profile
  ]) {
    const path = createImpairedPath({ delayMs, jitterMs }, { seed: 3 });
    const delays = [];
    let last = -Infinity;
    for (let i = 0; i < 20_000; i++) {
      const now = i * spacing;
      const { releaseAt } = path.admit(now, 200);
      assert.ok(releaseAt >= last, `packet ${i} leaves before the one before it`);
      last = releaseAt;
      if (i >= 2000) delays.push(releaseAt - now); // once the mean is held
    }
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    const sd = Math.sqrt(delays.reduce((a, b) => a + (b - mean) ** 2, 0) / delays.length);
    assert.ok(Math.abs(mean - delayMs) < delayMs * 0.05, `every ${spacing} ms: mean delay ${mean}`);
    // In order, the delays spread less than the draws do, but they still spread.
    assert.ok(sd > jitterMs * 0.3 && sd < jitterMs * 1.1, `every ${spacing} ms: delay sd ${sd}`);
  }
});

test('jitter reorders packets only when allowed', () => {
  const count = (reorder) => {
    const path = createImpairedPath({ delayMs: 60, jitterMs: 30, reorder }, { seed: 3 });
    let reordered = 0;
    let last = -Infinity;
    for (let i = 0; i < 2000; i++) {
      const { releaseAt } = path.admit(i * 20, 200);
      if (releaseAt < last) reordered++;
      last = Math.max(last, releaseAt);
    }
    return reordered;
  };
  assert.ok(count(true) > 100, `${count(true)} reordered`);
  assert.equal(count(false), 0);
});

test('the rate limit caps throughput and drops what overflows its queue', () => {
  const path = createImpairedPath({ rateKbps: 1000, queueMs: 250 }, { seed: 1 });
  let deliveredBytes = 0;
  let lastRelease = 0;
  let maxQueueDelay = 0;
  // 2 Mbit/s offered for 2 s: 1172-byte payloads (1200 on the wire) every 4.8 ms.
  for (let now = 0; now < 2000; now += 4.8) {
    const result = path.admit(now, 1172);
    if (result.releaseAt === undefined) continue;
    deliveredBytes += 1200;
    lastRelease = result.releaseAt;
    maxQueueDelay = Math.max(maxQueueDelay, result.releaseAt - now);
  }
  const kbps = (deliveredBytes * 8) / lastRelease;
  assert.ok(Math.abs(kbps - 1000) < 30, `${kbps} kbit/s through a 1000 kbit/s bottleneck`);
  assert.ok(maxQueueDelay <= 251 && maxQueueDelay > 200, `queue delay up to ${maxQueueDelay} ms`);
  assert.ok(path.stats.queueDropped > 150, `${path.stats.queueDropped} dropped at the queue`);
  assert.equal(path.stats.lost, 0);
});

test('under its rate, the bottleneck passes packets without delay', () => {
  const path = createImpairedPath({ rateKbps: 1000 }, { seed: 1 });
  for (let now = 0; now < 1000; now += 20) assert.equal(path.admit(now, 1000).releaseAt, now);
});

test('the UDP relay delays each side`s upstream by its profile and passes the way down untouched', async () => {
  const echo = dgram.createSocket('udp4');
  await new Promise((resolve) => echo.bind(0, '127.0.0.1', resolve));
  echo.on('message', (message, from) => echo.send(message, from.port, from.address));
  const relay = await startImpairRelay({ target: { address: '127.0.0.1', port: echo.address().port } });
  relay.configure({ a: { up: { delayMs: 30 } } });
  const client = dgram.createSocket('udp4');
  await new Promise((resolve) => client.bind(0, '127.0.0.1', resolve));
  try {
    const roundTrip = async (side) => {
      const start = performance.now();
      const back = new Promise((resolve) => client.once('message', resolve));
      client.send(Buffer.from('ping'), relay.ports[side], '127.0.0.1');
      await back;
      return performance.now() - start;
    };
    const delayed = [];
    const plain = [];
    for (let i = 0; i < 5; i++) {
      delayed.push(await roundTrip('a'));
      plain.push(await roundTrip('b'));
    }
    // Never early; how late a timer fires depends on the machine's load, so no upper bound here (the bench reports
    // the delay its calls measured).
    assert.ok(Math.min(...delayed) >= 29.5, `side a: ${delayed}`);
    assert.ok(Math.min(...delayed) > Math.max(...plain), `side a ${delayed} vs side b ${plain}`);
    const stats = relay.stats();
    assert.equal(stats.a.up.packets, 5);
    assert.equal(stats.a.down.packets, 5);
    assert.ok(Math.abs(stats.a.up.meanDelayMs - 30) < 1e-6, `${stats.a.up.meanDelayMs}`);
    assert.equal(stats.b.up.meanDelayMs, 0);
  } finally {
    client.close();
    echo.close();
    await relay.close();
  }
});
