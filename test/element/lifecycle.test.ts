import { expect } from '@open-wc/testing';
import type { P2PCall } from '../../src/index.js';
import { liveTracks, nextEvent, waitFor, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

/** The stream an element captured, taken from its p2p-local-stream event. */
function capturedStream(element: P2PCall): Promise<MediaStream> {
  return nextEvent(element, 'p2p-local-stream').then((event) => event.detail.stream);
}

describe('<p2p-call> leaving and removal', () => {
  it('leave() stops every local track, closes the peer, and the other side goes back to waiting', async () => {
    const { a, b } = await callPair('broadcast', { autoJoin: false });
    const stream = capturedStream(a);
    void a.join();
    void b.join();
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    const captured = await stream;
    expect(liveTracks(captured)).to.have.length(2);

    const peerLeft = nextEvent(b, 'p2p-peer-leave');
    a.leave();
    expect(a.state).to.equal('ended');
    expect(a.getAttribute('state')).to.equal('ended');
    expect(liveTracks(captured)).to.have.length(0);
    expect(a.outgoingStream).to.equal(undefined);
    expect((await peerLeft).detail.peer.name).to.equal('Ada');
    await waitForState(b, 'waiting');
    expect(b.remoteStream).to.equal(undefined);
  });

  it('removing the element from the page ends the call and releases the camera', async () => {
    const { a, b } = await callPair('broadcast', { autoJoin: false });
    const stream = capturedStream(a);
    void a.join();
    void b.join();
    await waitForState(b, 'connected');
    const captured = await stream;
    a.remove();
    expect(liveTracks(captured)).to.have.length(0);
    await waitForState(b, 'waiting');
  });

  it('the waiting side resumes with a new peer without any action (the other person reloads)', async () => {
    const { a, b, container } = await callPair('broadcast');
    await waitForState(b, 'connected');
    a.remove();
    await waitForState(b, 'waiting');
    const again = document.createElement('p2p-call');
    again.room = a.room;
    again.name = 'Ada again';
    again.setAttribute('signaling', 'broadcast');
    again.autoJoin = true;
    container.append(again);
    await waitForState(b, 'connected');
    await waitFor(() => b.remotePeer?.name === 'Ada again', 5000, 'the new peer name');
    await waitForState(again, 'connected');
  });

  it('join() after leave() starts a fresh call', async () => {
    const { a, b } = await callPair('broadcast');
    await waitForState(a, 'connected');
    a.leave();
    await waitForState(b, 'waiting');
    await a.join();
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
  });
});
