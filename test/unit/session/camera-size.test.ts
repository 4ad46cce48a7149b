// The camera's size on the wire: the size rule, the two thresholds, the estimate it reads, and the sizes asked for over
// a call on fake links, where each quality sample's getStats report carries the estimate the browser would give.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FULL_SIZE_ESTIMATE_BPS,
  nextReduced,
  outgoingEstimate,
  REDUCE_BELOW_BPS,
  reducedScale,
} from '../../../src/session/camera-size.js';
import { selectedPair } from '../../../src/session/selected-pair.js';
import { CallHarness } from '../support/session-harness.js';

describe('reducedScale', () => {
  it('halves 720p, takes 1080p to a third, and leaves VGA and smaller alone', () => {
    assert.equal(reducedScale(1280, 720), 2);
    assert.equal(reducedScale(1920, 1080), 3);
    assert.equal(reducedScale(640, 480), 1);
    assert.equal(reducedScale(640, 360), 1);
    assert.equal(reducedScale(320, 180), 1);
    assert.equal(reducedScale(undefined, 720), 1, 'a track that tells no size is left alone');
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
      [3840, 2160],
    ]) {
      const scale = reducedScale(width, height);
      assert.ok((width / scale) * (height / scale) <= 640 * 480, `${width}x${height} / ${scale}`);
    }
  });
});

describe('nextReduced and outgoingEstimate', () => {
  it('goes to full size from 1 Mbit/s, back to reduced under 500 kbit/s, and holds in between', () => {
    assert.equal(nextReduced(true, FULL_SIZE_ESTIMATE_BPS), false);
    assert.equal(nextReduced(true, FULL_SIZE_ESTIMATE_BPS - 1), true);
    assert.equal(nextReduced(false, REDUCE_BELOW_BPS), false);
    assert.equal(nextReduced(false, REDUCE_BELOW_BPS - 1), true);
    for (const between of [REDUCE_BELOW_BPS, 750_000, FULL_SIZE_ESTIMATE_BPS - 1]) {
      for (const reduced of [true, false]) assert.equal(nextReduced(reduced, between), reduced, `${between}`);
    }
    assert.equal(nextReduced(true, undefined), false, 'no estimate at all (Firefox): full size');
    assert.equal(nextReduced(false, undefined), false);
  });

  it("reads the selected pair's available outgoing bitrate, and nothing else", () => {
    const report = (pair: Record<string, unknown>) =>
      new Map<string, Record<string, unknown>>([
        ['T', { type: 'transport', selectedCandidatePairId: 'P' }],
        ['P', { type: 'candidate-pair', ...pair }],
        ['Q', { type: 'candidate-pair', availableOutgoingBitrate: 9e9 }],
      ]) as unknown as RTCStatsReport;
    assert.equal(outgoingEstimate(selectedPair(report({ availableOutgoingBitrate: 1_234_567 }))), 1_234_567);
    assert.equal(outgoingEstimate(selectedPair(report({}))), undefined, 'not the estimate of a pair not in use');
    assert.equal(outgoingEstimate(selectedPair(report({ availableOutgoingBitrate: 0 }))), undefined);
    assert.equal(outgoingEstimate(selectedPair(report({ availableOutgoingBitrate: 'fast' }))), undefined);
  });
});

describe("the camera's size over a call (fake links)", () => {
  /** A connected call whose links started with a camera larger than VGA, reduced, and report `estimate`. */
  async function connectedCall(estimate: number | undefined) {
    const call = new CallHarness();
    const sides = [call.add('a'), call.add('b')];
    await call.joinAll();
    const links = call.network.started.filter((link) => !link.closed);
    assert.equal(links.length, 2);
    for (const link of links) {
      link.cameraReduced = true;
      link.fake.statsPair = { local: { candidateType: 'host' }, remote: { candidateType: 'host' } };
      link.fake.outgoingEstimate = estimate;
    }
    /** Quality samples reported so far, per side (a sample is reported once it is read). */
    const samples = () => sides.map((side) => side.all('quality').length);
    const waitSamples = async (count: number, what: string) => {
      const from = samples();
      await call.until(() => samples().every((seen, i) => seen >= from[i] + count), what);
    };
    return { call, links, samples, waitSamples };
  }

  it('goes to full size at the first sample that shows room, and once; back to reduced when the path narrows', async () => {
    const { call, links, samples, waitSamples } = await connectedCall(700_000);
    try {
      await waitSamples(2, 'two quality samples on each side');
      for (const link of links) assert.deepEqual(link.cameraSizes, [], 'not enough room yet: still reduced');
      for (const link of links) link.fake.outgoingEstimate = 2_500_000;
      const before = samples();
      await call.until(() => links.every((link) => !link.cameraReduced), 'full size');
      assert.ok(
        samples().every((count, i) => count - before[i] <= 1),
        'at the first sample after the estimate grew',
      );
      for (const link of links) link.fake.outgoingEstimate = 700_000;
      await waitSamples(2, 'two more samples');
      for (const link of links) assert.deepEqual(link.cameraSizes, [false], 'between the thresholds: held');
      for (const link of links) link.fake.outgoingEstimate = 300_000;
      await call.until(() => links.every((link) => link.cameraReduced), 'reduced again');
      for (const link of links) assert.deepEqual(link.cameraSizes, [false, true]);
    } finally {
      call.dispose();
    }
  });

  it('goes to full size at the first sample where the browser gives no estimate', async () => {
    const { call, links, waitSamples } = await connectedCall(undefined);
    try {
      await waitSamples(1, 'a quality sample on each side');
      for (const link of links) assert.deepEqual(link.cameraSizes, [false]);
    } finally {
      call.dispose();
    }
  });
});
