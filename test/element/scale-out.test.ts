import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { nextEvent, remoteVideo, waitForFrames, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

// Two real elements whose signaling goes to two different server processes sharing rooms through a real Redis
// (test/support/scale-out-plugin.mjs). Run alone: npx web-test-runner test/element/scale-out.test.ts

interface Urls {
  direct: string;
  balanced: string;
}
type Metrics = Record<'a' | 'b' | 'c', string>;

const metric = (text: string, name: string): number =>
  Number(new RegExp(`^${name} (\\d+)$`, 'mu').exec(text)?.[1] ?? NaN);

describe('<p2p-call> across two signaling processes (Redis backplane)', () => {
  it('connects through different processes, and stays connected when one is stopped and the other takes over', async () => {
    const urls = (await executeServerCommand('scale-out-urls')) as Urls;
    const { a, b } = await callPair(urls.direct, { autoJoin: false });
    b.setAttribute('signaling', urls.balanced);
    void a.join();
    void b.join();
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    await waitForFrames(remoteVideo(a), 5);
    await waitForFrames(remoteVideo(b), 5);

    const before = (await executeServerCommand('scale-out-metrics')) as Metrics;
    expect(metric(before.a, 'p2p_call_connections')).to.equal(1);
    expect(metric(before.b, 'p2p_call_connections')).to.equal(1);
    // The negotiation really crossed processes: each side published to the other.
    expect(metric(before.a, 'p2p_call_backplane_published_total')).to.be.greaterThan(0);
    expect(metric(before.b, 'p2p_call_backplane_published_total')).to.be.greaterThan(0);

    const remoteBefore = a.remotePeer?.id;
    let peerLeft = false;
    a.addEventListener('p2p-peer-leave', () => (peerLeft = true));
    let stateChanges = 0;
    for (const element of [a, b]) element.addEventListener('p2p-state-change', () => (stateChanges += 1));

    await executeServerCommand('scale-out-fail-over');
    // b's adapter reconnects through the balancer, now to process c, and rejoins as the same participant.
    const deadline = Date.now() + 30_000;
    let after = (await executeServerCommand('scale-out-metrics')) as Metrics;
    while (metric(after.c, 'p2p_call_joins_total') < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = (await executeServerCommand('scale-out-metrics')) as Metrics;
    }
    expect(metric(after.c, 'p2p_call_joins_total'), 'b rejoined through process c').to.equal(1);
    expect(metric(after.c, 'p2p_call_connections')).to.equal(1);

    // Media never depended on the server: both still connected, frames still arriving, nobody left.
    await waitForFrames(remoteVideo(a), 5);
    await waitForFrames(remoteVideo(b), 5);
    expect(a.state).to.equal('connected');
    expect(b.state).to.equal('connected');
    expect(stateChanges).to.equal(0);
    expect(peerLeft).to.equal(false);
    expect(a.remotePeer?.id).to.equal(remoteBefore);

    // Signaling through the new process works: leaving is seen by the other side through it.
    const left = nextEvent(a, 'p2p-peer-leave');
    await b.leave();
    await left;
  });
});
