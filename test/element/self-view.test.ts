import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import { SELF_VIEW_AFTER_CONNECTED_MS } from '../../src/element/media-elements-controller.js';
import type { P2PCall } from '../../src/index.js';
import { uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { signalingUrl } from '../support/two-party.js';

const selfView = (element: P2PCall) =>
  element.shadowRoot!.querySelector<HTMLVideoElement>('video[part="local-video"]')!;

async function joinedElement(room: string, url: string, name: string): Promise<P2PCall> {
  const element = await fixture<P2PCall>(
    html`<p2p-call .room=${room} .name=${name} signaling=${url} ice-servers="[]" style="width:400px"></p2p-call>`,
  );
  void element.join();
  return element;
}

describe('<p2p-call> built-in self-view', () => {
  it('shows itself when alone, and only after the first picture of someone already in the room', async () => {
    const room = uniqueRoom();
    const url = await signalingUrl();
    const first = await joinedElement(room, url, 'Ada');
    await waitForState(first, 'waiting');
    // Alone: the self-view comes up without waiting for anyone.
    await waitFor(() => selfView(first).srcObject === first.outgoingStream, 2000, 'the self-view while alone');

    // The server lists Ada when Grace enters, so Grace is never alone: her self-view waits for Ada's first frame.
    const second = await joinedElement(room, url, 'Grace');
    let firstRemoteFrame = false;
    let connectedAt = Infinity;
    second.addEventListener('p2p-state-change', ({ detail }) => {
      if (detail.state === 'connected') connectedAt = Math.min(connectedAt, performance.now());
    });
    const remote = () => second.shadowRoot!.querySelector<HTMLVideoElement>('video.remote-video')!;
    await waitFor(() => Boolean(remote().srcObject), 15_000, "Ada's stream on Grace's remote view");
    remote().requestVideoFrameCallback(() => (firstRemoteFrame = true));
    await second.updateComplete;
    if (!firstRemoteFrame) expect(selfView(second).srcObject, 'self-view before the first remote frame').to.equal(null);
    await waitFor(() => selfView(second).srcObject === second.outgoingStream, 10_000, "Grace's self-view");
    // Her self-view came with Ada's first frame, or, if that frame is late (a slow machine), a second after connecting.
    const shownAfterConnected = performance.now() - connectedAt;
    expect(firstRemoteFrame || shownAfterConnected >= SELF_VIEW_AFTER_CONNECTED_MS - 50, 'shown too early').to.equal(
      true,
    );
  });
});
