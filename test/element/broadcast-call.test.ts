import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { frameBrightness, remoteVideo, uniqueRoom, waitForFrames, waitForState } from '../support/call-helpers.js';

describe('<p2p-call> over BroadcastChannel', () => {
  it('connects two elements and plays real remote frames on both sides', async () => {
    const room = uniqueRoom();
    const container = await fixture<HTMLDivElement>(html`
      <div>
        <p2p-call room=${room} signaling="broadcast" name="Ada" auto-join></p2p-call>
        <p2p-call room=${room} signaling="broadcast" name="Grace" auto-join></p2p-call>
      </div>
    `);
    const [ada, grace] = container.querySelectorAll('p2p-call') as NodeListOf<P2PCall>;
    const states: string[] = [];
    ada.addEventListener('p2p-state-change', (event) => states.push(event.detail.state));

    await waitForState(ada, 'connected');
    await waitForState(grace, 'connected');
    expect(ada.getAttribute('state')).to.equal('connected');
    expect(ada.remotePeer?.name).to.equal('Grace');
    expect(grace.remotePeer?.name).to.equal('Ada');

    await waitForFrames(remoteVideo(ada), 10);
    await waitForFrames(remoteVideo(grace), 10);
    expect(remoteVideo(ada).videoWidth).to.be.greaterThan(0);
    expect(frameBrightness(remoteVideo(grace))).to.be.greaterThan(20);
    expect(states).to.include.members(['connecting', 'connected']);
    expect(states.at(-1)).to.equal('connected');
  });
});
