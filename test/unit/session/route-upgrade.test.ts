// Off a relay that is not needed: which getStats reports show a working direct pair, when the judgment asks for an ICE
// restart, and what a call on fake links does with it (the offerer restarts, the answerer asks; only under "allow").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  directPairWorks,
  MAX_ROUTE_UPGRADES,
  RouteUpgrade,
  UPGRADE_AFTER_SAMPLES,
} from '../../../src/session/route-upgrade.js';
import type { RelayPolicy } from '../../../src/session/relay-policy.js';
import { CallHarness } from '../support/session-harness.js';

type Stats = Record<string, unknown>;

/** A report with the relay pair selected and one more pair, `other`, between `local` and `remote`. */
function report(other: Stats, local: Stats, remote: Stats, extra: Array<[string, Stats]> = []): RTCStatsReport {
  return new Map<string, Stats>([
    ['T', { type: 'transport', selectedCandidatePairId: 'S' }],
    ['S', { type: 'candidate-pair', state: 'succeeded', localCandidateId: 'SL', remoteCandidateId: 'SR' }],
    ['SL', { type: 'local-candidate', candidateType: 'host', address: '10.0.0.2', port: 5000 }],
    ['SR', { type: 'remote-candidate', candidateType: 'relay', address: '192.0.2.9', port: 49200 }],
    ['O', { type: 'candidate-pair', localCandidateId: 'OL', remoteCandidateId: 'OR', ...other }],
    ['OL', { type: 'local-candidate', ...local }],
    ['OR', { type: 'remote-candidate', ...remote }],
    ...extra,
  ]) as unknown as RTCStatsReport;
}

const host = { candidateType: 'host', address: '10.0.0.2', port: 5000 };
const srflx = { candidateType: 'srflx', address: '198.51.100.7', port: 61000 };

describe('directPairWorks', () => {
  it('finds a direct pair whose own check was answered, or that answered the other side', () => {
    assert.equal(directPairWorks(report({ state: 'succeeded' }, host, srflx)), true);
    assert.equal(
      directPairWorks(report({ state: 'in-progress', requestsReceived: 11, responsesSent: 11 }, host, srflx)),
      true,
      "the lab's case: this side's own check unanswered, every check of the other side answered",
    );
  });

  it('does not count a pair that never worked, or one through a relay', () => {
    assert.equal(directPairWorks(report({ state: 'in-progress', requestsSent: 3 }, host, srflx)), false);
    assert.equal(directPairWorks(report({ state: 'failed', requestsReceived: 2 }, host, srflx)), false);
    assert.equal(directPairWorks(report({ state: 'succeeded' }, { candidateType: 'relay' }, srflx)), false);
    assert.equal(directPairWorks(report({ state: 'succeeded' }, host, { candidateType: 'relay' })), false);
  });

  it("takes a peer-reflexive end at one of the other side's relay addresses for that relay", () => {
    const prflx = { candidateType: 'prflx', address: '192.0.2.9', port: 49200 };
    assert.equal(directPairWorks(report({ state: 'succeeded' }, host, prflx)), false);
    const elsewhere = { ...prflx, port: 49201 };
    assert.equal(directPairWorks(report({ state: 'succeeded' }, host, elsewhere)), true);
  });

  it('does not count the selected pair itself', () => {
    const selectedOnly = new Map<string, Stats>([
      ['T', { type: 'transport', selectedCandidatePairId: 'S' }],
      ['S', { type: 'candidate-pair', state: 'succeeded', localCandidateId: 'SL', remoteCandidateId: 'SR' }],
      ['SL', { type: 'local-candidate', ...host }],
      ['SR', { type: 'remote-candidate', ...srflx }],
    ]) as unknown as RTCStatsReport;
    assert.equal(directPairWorks(selectedOnly), false);
  });
});

describe('RouteUpgrade', () => {
  it(`asks after ${UPGRADE_AFTER_SAMPLES} samples in a row, at most ${MAX_ROUTE_UPGRADES} times`, () => {
    const upgrade = new RouteUpgrade();
    const asked: number[] = [];
    for (let sample = 1; sample <= 12; sample++) if (upgrade.next(true, true)) asked.push(sample);
    assert.deepEqual(asked, [2, 4]);
  });

  it('starts counting again after a sample that finds the relay needed, or not in use', () => {
    const upgrade = new RouteUpgrade();
    assert.equal(upgrade.next(true, true), false);
    assert.equal(upgrade.next(true, false), false, 'no working direct pair');
    assert.equal(upgrade.next(true, true), false);
    assert.equal(upgrade.next(false, true), false, 'direct already');
    assert.equal(upgrade.next(true, true), false);
    assert.equal(upgrade.next(true, true), true);
  });
});

describe('a relayed call with a working direct pair (fake links)', () => {
  async function relayedCall(relay: RelayPolicy, directOn: 'offerer' | 'answerer' | 'both') {
    const call = new CallHarness();
    const sides = [call.add('a', { relay }), call.add('b', { relay })];
    await call.joinAll();
    const links = call.network.started.filter((link) => !link.closed);
    assert.equal(links.length, 2);
    for (const link of links) {
      const seesIt = directOn === 'both' || (directOn === 'offerer') === link.initiator;
      link.fake.statsPair = seesIt
        ? { local: { candidateType: 'host' }, remote: { candidateType: 'relay' } }
        : { local: { candidateType: 'host' }, remote: { candidateType: 'srflx' } };
      if (seesIt) link.fake.otherPairs = [{ pair: { state: 'succeeded' }, local: host, remote: srflx }];
    }
    const samples = () => sides.map((side) => side.all('quality').length);
    return { call, links, samples };
  }

  for (const directOn of ['offerer', 'answerer'] as const) {
    it(`restarts ICE on the side that finds it (${directOn}) after two samples, twice at most`, async () => {
      const { call, links, samples } = await relayedCall('allow', directOn);
      try {
        const judge = links.find((link) => (directOn === 'offerer') === link.initiator)!;
        const other = links.find((link) => link !== judge)!;
        await call.until(() => samples().every((count) => count >= 1), 'a first sample on each side');
        assert.equal(judge.iceRestarts, 0, 'not at the first sample: the browser may still move off the relay');
        await call.until(() => judge.iceRestarts === 1, 'a restart at the second sample');
        await call.until(() => samples().every((count) => count >= 8), 'eight samples on each side');
        assert.equal(judge.iceRestarts, MAX_ROUTE_UPGRADES, 'no more than the limit');
        assert.equal(other.iceRestarts, 0, 'the side whose own path is direct judges nothing');
      } finally {
        call.dispose();
      }
    });
  }

  it('leaves a relay alone under relay="only" (asked for)', async () => {
    const { call, links, samples } = await relayedCall('only', 'both');
    try {
      await call.until(() => samples().every((count) => count >= 4), 'four samples on each side');
      for (const link of links) assert.equal(link.iceRestarts, 0);
    } finally {
      call.dispose();
    }
  });
});
