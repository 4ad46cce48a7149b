import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { nextEvent, uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

/** Two joined elements in one room, the first with the host's `slotted` content; resolves once it shows the peer. */
async function slottedPair(slotted: ReturnType<typeof html>) {
  const room = uniqueRoom();
  const host = await fixture<HTMLDivElement>(
    html`<div>
      <p2p-call room=${room} signaling="broadcast" auto-join>${slotted}</p2p-call>
      <p2p-call room=${room} signaling="broadcast" auto-join></p2p-call>
    </div>`,
  );
  const [a, b] = host.querySelectorAll('p2p-call');
  await waitForState(a, 'connected');
  await waitFor(() => Boolean(a.remoteStream), 5000, 'the remote stream');
  return { host, a, b };
}

describe('<p2p-call> configuration and accessibility', () => {
  it('is idle with a labelled join button and passes axe before joining', async () => {
    const call = await fixture<P2PCall>(html`<p2p-call room="r" signaling="broadcast"></p2p-call>`);
    expect(call.state).to.equal('idle');
    expect(call.getAttribute('state')).to.equal('idle');
    expect(call.shadowRoot!.querySelector('[part="join-button"]')!.textContent).to.contain('Join call');
    await expect(call).to.be.accessible();
  });

  it('passes axe while connected', async () => {
    const { a } = await callPair('broadcast');
    await waitForState(a, 'connected');
    await a.updateComplete;
    await expect(a).to.be.accessible();
  });

  const invalid: Array<[string, (call: P2PCall) => void, RegExp]> = [
    ['no room', (call) => call.removeAttribute('room'), /room/],
    ['no signaling', (call) => call.removeAttribute('signaling'), /signaling/],
    ['an unknown signaling value', (call) => call.setAttribute('signaling', 'carrier-pigeon'), /not supported/],
    ['ice-servers that are not JSON', (call) => call.setAttribute('ice-servers', '[{oops'), /ice-servers/],
    ['ice-servers of the wrong shape', (call) => call.setAttribute('ice-servers', '[{"url": 1}]'), /ice-servers/],
    // NaN once disabled the limit: a 1 PiB offer was accepted.
    [
      'a max-file-size that is not a size',
      (call) => call.setAttribute('max-file-size', '10 parsecs'),
      /max-file-size .*"10 parsecs"/,
    ],
    ['a negative max-file-size', (call) => call.setAttribute('max-file-size', '-1'), /max-file-size/],
    ['a max-file-size property that is not a whole number', (call) => (call.maxFileSize = NaN), /max-file-size/],
    [
      'a max-incoming-files that is not a count',
      (call) => call.setAttribute('max-incoming-files', 'many'),
      /max-incoming-files .*"many"/,
    ],
    [
      'a max-incoming-bytes that is not a size',
      (call) => call.setAttribute('max-incoming-bytes', '2 GB please'),
      /max-incoming-bytes/,
    ],
  ];
  for (const [what, configure, message] of invalid) {
    it(`reports ${what} as invalid-config without throwing`, async () => {
      const call = await fixture<P2PCall>(html`<p2p-call room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
      configure(call);
      const error = nextEvent(call, 'p2p-error');
      await call.join();
      expect((await error).detail.code).to.equal('invalid-config');
      expect((await error).detail.message).to.match(message);
      expect(call.state).to.equal('idle');
      await call.updateComplete;
    });
  }

  it('reads file sizes with units', async () => {
    const call = await fixture<P2PCall>(
      html`<p2p-call max-file-size="10MB" max-incoming-bytes="1.5 GiB" max-incoming-files="2"></p2p-call>`,
    );
    expect(call.maxFileSize).to.equal(10_000_000);
    expect(call.maxIncomingBytes).to.equal(1.5 * 1024 ** 3);
    expect(call.maxIncomingFiles).to.equal(2);
  });

  it('declares its events as bubbling, composed DOM events', async () => {
    const host = await fixture<HTMLDivElement>(
      html`<div><p2p-call room=${uniqueRoom()} signaling="broadcast"></p2p-call></div>`,
    );
    const state = nextEvent(host, 'p2p-state-change');
    void host.querySelector('p2p-call')!.join();
    const event = await state;
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ state: 'joining', previous: 'idle' });
    host.querySelector('p2p-call')!.leave();
  });

  it('feeds slotted videos with the streams', async () => {
    const { host, a, b } = await slottedPair(html`
      <video slot="remote" id="mine" autoplay muted playsinline></video>
      <div slot="local"><video id="self" autoplay muted playsinline></video></div>
    `);
    await a.updateComplete;
    const slotted = host.querySelector<HTMLVideoElement>('#mine')!;
    expect(slotted.srcObject).to.equal(a.remoteStream);
    expect(host.querySelector<HTMLVideoElement>('#self')!.srcObject).to.equal(a.outgoingStream);
    // The built-in views the host replaced stay empty: no second player, and no second copy of the remote sound.
    const builtIn = (selector: string) => a.shadowRoot!.querySelector<HTMLVideoElement>(selector)!;
    expect(builtIn('video.remote-video').srcObject).to.equal(null);
    expect(builtIn('video[part="local-video"]').srcObject).to.equal(null);
    // The other element has no slotted views: its built-in ones show the streams.
    await waitFor(() => Boolean(b.remoteStream), 5000, 'the remote stream on the other side');
    await b.updateComplete;
    expect(b.shadowRoot!.querySelector<HTMLVideoElement>('video.remote-video')!.srcObject).to.equal(b.remoteStream);
    // Its self-view joins once the other person's first frame is shown (media-elements-controller.ts).
    const selfView = b.shadowRoot!.querySelector<HTMLVideoElement>('video[part="local-video"]')!;
    await waitFor(() => selfView.srcObject === b.outgoingStream, 10_000, "b's built-in self-view");
  });

  it('gives the built-in remote view its stream back when the host takes its video out', async () => {
    const { host, a } = await slottedPair(html`<video slot="remote" id="mine" autoplay muted playsinline></video>`);
    const builtIn = a.shadowRoot!.querySelector<HTMLVideoElement>('video.remote-video')!;
    expect(builtIn.srcObject).to.equal(null);
    host.querySelector('#mine')!.remove();
    await waitFor(() => builtIn.srcObject === a.remoteStream, 5000, 'the built-in remote view to get the stream');
  });
});
