// The camera's reduced start: the size rule, the estimate it reads, and the step to full size over a call on fake
// links, where each quality sample's getStats report carries the bandwidth estimate the browser would give.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FULL_SIZE_ESTIMATE_BPS,
  fullSizeFits,
  outgoingEstimate,
  startScale,
} from '../../../src/session/video-start-scale.js';
import { CallHarness } from '../support/session-harness.js';

describe('startScale', () => {
  it('halves 720p, takes 1080p to a third, and leaves VGA and smaller alone', () => {
    assert.equal(startScale(1280, 720), 2);
    assert.equal(startScale(1920, 1080), 3);
    assert.equal(startScale(640, 480), 1);
    assert.equal(startScale(640, 360), 1);
    assert.equal(startScale(320, 180), 1);
    assert.equal(startScale(undefined, 720), 1, 'a track that tells no size is left alone');
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
      [3840, 2160],
    ]) {
      const scale = startScale(width, height);
      assert.ok((width / scale) * (height / scale) <= 640 * 480, `${width}x${height} / ${scale}`);
    }
  });
});

describe('fullSizeFits and outgoingEstimate', () => {
  it('goes to full size with an estimate of 1 Mbit/s or more, or with none at all (Firefox)', () => {
    assert.equal(fullSizeFits(FULL_SIZE_ESTIMATE_BPS), true);
    assert.equal(fullSizeFits(FULL_SIZE_ESTIMATE_BPS - 1), false);
    assert.equal(fullSizeFits(undefined), true);
  });

  it("reads the selected pair's available outgoing bitrate, and nothing else", () => {
    const report = (pair: Record<string, unknown>) =>
      new Map<string, Record<string, unknown>>([
        ['T', { type: 'transport', selectedCandidatePairId: 'P' }],
        ['P', { type: 'candidate-pair', ...pair }],
        ['Q', { type: 'candidate-pair', availableOutgoingBitrate: 9e9 }],
      ]) as unknown as RTCStatsReport;
    assert.equal(outgoingEstimate(report({ availableOutgoingBitrate: 1_234_567 })), 1_234_567);
    assert.equal(outgoingEstimate(report({})), undefined, 'not the estimate of a pair not in use');
    assert.equal(outgoingEstimate(report({ availableOutgoingBitrate: 0 })), undefined);
    assert.equal(outgoingEstimate(report({ availableOutgoingBitrate: 'fast' })), undefined);
  });
});

describe("the camera's step to full size over a call (fake links)", () => {
  /**
   * Lets fake and real time pass until `done()`, for at most 5 s of real time: the quality code is a chunk loaded on
   * demand, and a dynamic import resolves in real time, not in fake time.
   */
  async function until(call: CallHarness, done: () => boolean, what: string): Promise<void> {
    const deadline = process.hrtime.bigint() + 5_000_000_000n;
    while (!done() && process.hrtime.bigint() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      await call.run(50);
    }
    assert.ok(done(), what);
  }

  async function connectedCall(estimate: number | undefined) {
    const call = new CallHarness();
    const sides = [call.add('a'), call.add('b')];
    await call.joinAll();
    const links = call.network.started.filter((link) => !link.closed);
    assert.equal(links.length, 2);
    for (const link of links) {
      link.startScaled = true;
      link.fake.statsPair = { local: { candidateType: 'host' }, remote: { candidateType: 'host' } };
      link.fake.outgoingEstimate = estimate;
    }
    /** Quality samples reported so far, per side (a sample is reported once it is read). */
    const samples = () => sides.map((side) => side.all('quality').length);
    return { call, links, samples };
  }

  it('is taken at the first quality sample that shows room, and once', async () => {
    const { call, links, samples } = await connectedCall(400_000);
    try {
      await until(call, () => samples().every((count) => count >= 2), 'two quality samples on each side');
      for (const link of links) assert.equal(link.lifts, 0, 'a narrow path: still the starting size');
      for (const link of links) link.fake.outgoingEstimate = 2_500_000;
      const before = samples();
      await until(call, () => links.every((link) => link.lifts > 0), 'the step to full size');
      assert.ok(
        samples().every((count, i) => count - before[i] <= 1),
        'at the first sample after the estimate grew',
      );
      const after = samples();
      await until(call, () => samples().every((count, i) => count >= after[i] + 2), 'two more samples');
      for (const link of links) {
        assert.equal(link.lifts, 1, 'once');
        assert.equal(link.startScaled, false);
      }
    } finally {
      call.dispose();
    }
  });

  it('is taken at the first sample where the browser gives no estimate', async () => {
    const { call, links, samples } = await connectedCall(undefined);
    try {
      await until(call, () => samples().every((count) => count >= 1), 'a quality sample on each side');
      for (const link of links) assert.equal(link.lifts, 1);
    } finally {
      call.dispose();
    }
  });
});
