import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall, StateChangeDetail } from '../../src/index.js';
import { liveTracks, nextEvent, uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
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

  it('is joining from the moment join() is called; a second join() meanwhile does nothing', async () => {
    const call = await fixture<P2PCall>(
      html`<p2p-call no-lobby room=${uniqueRoom()} signaling="broadcast" ice-servers="[]"></p2p-call>`,
    );
    const states: StateChangeDetail[] = [];
    call.addEventListener('p2p-state-change', (event) => states.push(event.detail));
    const joined = call.join();
    expect(call.state).to.equal('joining');
    expect(call.getAttribute('state')).to.equal('joining');
    expect(states).to.deep.equal([{ state: 'joining', previous: 'idle' }]);
    await call.join();
    await joined;
    await waitForState(call, 'waiting');
    expect(states.map((change) => change.state)).to.deep.equal(['joining', 'waiting']);
    call.leave();
  });

  it('leave() before the session is running ends the call and releases the camera the lobby handed over', async () => {
    const call = await fixture<P2PCall>(
      html`<p2p-call room=${uniqueRoom()} signaling="broadcast" ice-servers="[]"></p2p-call>`,
    );
    const preview = () =>
      call.shadowRoot!.querySelector<HTMLVideoElement>('[part="preview-video"]')?.srcObject as MediaStream | undefined;
    await waitFor(() => liveTracks(preview()).length === 2, 15_000, 'the lobby preview');
    const handedOver = preview()!;
    const states: StateChangeDetail[] = [];
    call.addEventListener('p2p-state-change', (event) => states.push(event.detail));
    let captured = false;
    call.addEventListener('p2p-local-stream', () => (captured = true));
    const joined = call.join();
    call.leave();
    expect(call.state).to.equal('ended');
    expect(call.getAttribute('state')).to.equal('ended');
    await joined;
    await waitFor(() => liveTracks(handedOver).length === 0, 5000, 'the preview camera and microphone stopped');
    expect(states).to.deep.equal([
      { state: 'joining', previous: 'idle' },
      { state: 'ended', previous: 'joining' },
    ]);
    expect(captured).to.equal(false);
    expect(call.outgoingStream).to.equal(undefined);
  });

  it('a second call announces joining after the ended one (previous: ended)', async () => {
    const call = await fixture<P2PCall>(
      html`<p2p-call no-lobby room=${uniqueRoom()} signaling="broadcast" ice-servers="[]"></p2p-call>`,
    );
    await call.join();
    await waitForState(call, 'waiting');
    call.leave();
    const rejoin = nextEvent(call, 'p2p-state-change');
    void call.join();
    expect((await rejoin).detail).to.deep.equal({ state: 'joining', previous: 'ended' });
    await waitForState(call, 'waiting');
    call.leave();
  });
});
