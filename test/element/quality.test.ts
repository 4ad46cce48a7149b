import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import type { QualityDetail } from '../../src/index.js';
import { translator } from '../../src/element/i18n/translate.js';
import { qualityIndicator, QualityView } from '../../src/element/quality-view.js';
import { QualityMonitor, readQuality } from '../../src/session/quality-monitor.js';
import { nextEvent, waitFor, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

/** A stats report as Chromium shapes it: transport -> selected pair -> candidates, plus inbound RTP. */
function stats({ rtt = 0.05, jitter = 0.004, lost = 0, received = 1000, relay = false } = {}): RTCStatsReport {
  const reports: Array<Record<string, unknown>> = [
    { id: 'T', type: 'transport', selectedCandidatePairId: 'P' },
    { id: 'P', type: 'candidate-pair', currentRoundTripTime: rtt, localCandidateId: 'L', remoteCandidateId: 'R' },
    { id: 'L', type: 'local-candidate', candidateType: relay ? 'relay' : 'host' },
    { id: 'R', type: 'remote-candidate', candidateType: 'srflx' },
    { id: 'A', type: 'inbound-rtp', kind: 'audio', jitter, packetsLost: lost, packetsReceived: received },
    { id: 'V', type: 'inbound-rtp', kind: 'video', jitter: jitter / 2, packetsLost: 0, packetsReceived: 0 },
  ];
  return new Map(reports.map((report) => [report.id as string, report])) as unknown as RTCStatsReport;
}

const sample = (overrides: Partial<QualityDetail> = {}): QualityDetail => ({
  rtt: 41,
  jitter: 3,
  loss: 0,
  delay: 23.5,
  route: 'direct',
  level: 'good',
  budget: 0,
  overBudget: false,
  ...overrides,
});

describe('connection quality', () => {
  it('reads rtt, jitter, loss over the interval, route and level from a stats report', () => {
    const first = readQuality(stats({ lost: 10, received: 990 }), undefined, 0);
    expect(first.detail).to.include({
      rtt: 50,
      jitter: 4,
      delay: 29,
      route: 'direct',
      level: 'good',
      overBudget: false,
    });
    expect(first.detail.loss).to.be.closeTo(0.01, 1e-9);
    // Loss counts only the packets since the previous sample: 100 lost of the next 1000 is 10%: poor.
    const second = readQuality(stats({ lost: 110, received: 1890, relay: true }), first.counters, 20);
    expect(second.detail.loss).to.be.closeTo(0.1, 1e-9);
    expect(second.detail).to.include({ route: 'relay', level: 'poor', budget: 20, overBudget: true });
    expect(readQuality(stats({ rtt: 0.25 }), undefined, 0).detail.level).to.equal('fair');
  });

  it('reports at most once per interval however often it samples', async () => {
    let clock = 0;
    const monitor = new QualityMonitor(
      async () => stats(),
      () => {},
      () => 0,
      1000,
      () => clock,
    );
    expect(await monitor.sample()).to.not.equal(undefined);
    clock = 999;
    expect(await monitor.sample()).to.equal(undefined);
    clock = 1000;
    expect(await monitor.sample()).to.not.equal(undefined);
    clock = 1500;
    expect(await monitor.sample()).to.equal(undefined);
  });

  it('asks for a redraw only when the shown value changes', () => {
    const view = new QualityView();
    expect(view.apply(sample())).to.equal(true);
    expect(view.apply(sample({ rtt: 43, jitter: 4, delay: 25.5 }))).to.equal(false); // same when rounded
    expect(view.apply(sample({ rtt: 120 }))).to.equal(true);
    expect(view.apply(sample({ rtt: 120, level: 'fair' }))).to.equal(true);
    expect(view.apply(sample({ rtt: 120, level: 'fair', route: 'relay' }))).to.equal(true);
    expect(
      view.apply(sample({ rtt: 120, level: 'fair', route: 'relay', budget: 50, delay: 70, overBudget: true })),
    ).to.equal(true);
    expect(
      view.apply(sample({ rtt: 120, level: 'fair', route: 'relay', budget: 50, delay: 72, overBudget: true })),
    ).to.equal(false);
  });

  it('keeps the shown round-trip time through noise: no redraw for a step or two either way', () => {
    const view = new QualityView();
    expect(view.apply(sample({ rtt: 1 }))).to.equal(true);
    expect(view.apply(sample({ rtt: 2 }))).to.equal(false, 'a LAN wandering by a millisecond');
    expect(view.apply(sample({ rtt: 9 }))).to.equal(false);
    expect(view.shown!.rtt).to.equal(1);
    expect(view.apply(sample({ rtt: 14 }))).to.equal(true, 'more than 10 ms away');
    expect(view.apply(sample({ rtt: 46 }))).to.equal(true);
    expect(view.shown!.rtt).to.equal(50);
    expect(view.apply(sample({ rtt: 44 }))).to.equal(false, '40 after rounding: one step, not shown');
    expect(view.apply(sample({ rtt: 66 }))).to.equal(true, 'two steps away');
    expect(view.apply(sample({ rtt: 66, level: 'fair' }))).to.equal(true, 'the level changes at once');
  });

  it('shows the level and, over budget, a warning with the delay', async () => {
    const view = new QualityView();
    view.apply(sample({ level: 'poor', rtt: 480, delay: 260, budget: 150, overBudget: true }));
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    render(qualityIndicator(translator('en'), view.shown), host);
    expect(host.querySelector('[part="quality"]')!.getAttribute('aria-label')).to.equal(
      'Poor connection · 480 ms · direct',
    );
    expect(host.querySelector('[part="quality-warning"]')!.textContent!.trim()).to.equal(
      'Delay is high (260 ms, limit 150 ms): speak in turns.',
    );
  });

  it('a connected element fires p2p-quality, shows the indicator, warns over budget, and redraws only on change', async () => {
    const { a } = await callPair('broadcast');
    await waitForState(a, 'connected');
    a.setAttribute('latency-budget', '0.001'); // any real delay is over it
    const event = await nextEvent(a, 'p2p-quality');
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail.route).to.equal('direct');
    expect(event.detail.rtt).to.be.a('number');
    await waitFor(() => a.shadowRoot!.querySelector('[part="quality"]') !== null, 5000, 'the indicator');
    await waitFor(() => a.shadowRoot!.querySelector('[part="quality-warning"]') !== null, 10_000, 'the budget warning');
    a.latencyBudget = 0;
    await waitFor(() => a.shadowRoot!.querySelector('[part="quality-warning"]') === null, 10_000, 'the warning gone');

    // Count renders across samples; a mirror QualityView says how many were needed.
    const mirror = new QualityView();
    mirror.apply((await nextEvent(a, 'p2p-quality')).detail);
    await a.updateComplete;
    let renders = 0;
    let needed = 0;
    const proto = Object.getPrototypeOf(a) as { update: (changed: unknown) => void };
    const update = proto.update;
    Object.defineProperty(a, 'update', {
      configurable: true,
      value: function (this: unknown, changed: unknown) {
        renders++;
        return update.call(this, changed);
      },
    });
    for (let i = 0; i < 3; i++) if (mirror.apply((await nextEvent(a, 'p2p-quality')).detail)) needed++;
    await a.updateComplete;
    expect(renders).to.be.at.most(needed);
  });
});
