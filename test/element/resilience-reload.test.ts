import { expect } from '@open-wc/testing';
import '../../src/p2p-call.js';
import { uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { framesFlow } from '../support/share-helpers.js';
import { signalingUrl, smallCameraElement } from '../support/two-party.js';

// One scenario per file: each gets a fresh page and its own time limit (test/session/README.md).
describe('<p2p-call> resilience: the other page reloads', function () {
  this.timeout(150_000);

  it('the other person reloads their page: this side shows waiting, then the call resumes by itself', async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const a = await smallCameraElement(room, url, 'Ada');
    const states: string[] = [];
    a.addEventListener('p2p-state-change', (event) => states.push(event.detail.state));
    const errors: string[] = [];
    a.addEventListener('p2p-error', (event) => errors.push(event.detail.code));
    const frame = document.createElement('iframe');
    frame.src = `/test/support/peer-frame.html?room=${room}&signaling=${encodeURIComponent(url)}`;
    frame.allow = 'camera; microphone';
    document.body.append(frame);
    void a.join();
    await waitForState(a, 'connected', 30_000);
    const firstPeer = a.remotePeer!.id;
    states.length = 0;

    const reloadedAt = performance.now();
    frame.contentWindow!.location.reload();
    await waitFor(
      () => a.state === 'connected' && a.remotePeer?.id !== firstPeer && Boolean(a.remoteStream),
      40_000,
      `the call again (states: ${states.join(' ')})`,
    );
    console.log(`call resumed ${Math.round(performance.now() - reloadedAt)} ms after the other page reloaded (states: ${states.join(' → ')})`);
    expect(states).to.include('waiting');
    expect(errors).to.deep.equal([]); // nothing for the host to handle
    await framesFlow(a.remoteStream!, 5, 'video from the reloaded page');
    frame.remove();
    a.leave();
    a.localStream!.getTracks().forEach((track) => track.stop());
  });
});
