import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';

type FramedWindow = Window & { events: Array<{ type: string; detail: { code?: string; state?: string; cameraOff?: boolean } }> };

/** Loads an element in an iframe whose permissions policy blocks devices: a real browser refusal, not a mock. */
async function framedCall(allow: string, room = uniqueRoom()) {
  const iframe = await fixture<HTMLIFrameElement>(
    html`<iframe allow=${allow} src=${`/test/fixtures/element-page.html?room=${room}`} style="width:480px;height:320px"></iframe>`,
  );
  await waitFor(() => Boolean(iframe.contentDocument?.querySelector('p2p-call')), 10_000, 'the framed element');
  return { iframe, call: iframe.contentDocument!.querySelector('p2p-call') as P2PCall, win: iframe.contentWindow as FramedWindow, room };
}

describe('<p2p-call> when camera and microphone are refused', () => {
  it('reports permission-denied as p2p-error, shows it, and rejects nothing', async () => {
    const unhandled: unknown[] = [];
    const { call, win } = await framedCall("camera 'none'; microphone 'none'");
    win.addEventListener('unhandledrejection', (event) => unhandled.push(event.reason));
    await waitFor(() => call.state === 'error', 10_000, 'the error state');
    const error = win.events.find((event) => event.type === 'p2p-error');
    expect(error?.detail.code).to.equal('permission-denied');
    expect(call.getAttribute('state')).to.equal('error');
    await call.updateComplete;
    const status = call.shadowRoot!.querySelector('[part="status"]')!;
    expect(status.getAttribute('role')).to.equal('alert');
    expect(status.textContent).to.contain('blocked');
    expect(call.shadowRoot!.querySelector('[part="join-button"]')!.textContent).to.contain('Join again');
    expect(unhandled).to.deep.equal([]);
  });

  it('goes on audio-only when only the camera is refused, and says so', async () => {
    const { call, win, room } = await framedCall("camera 'none'; microphone *");
    await waitFor(() => call.state === 'waiting', 10_000, 'waiting');
    const warning = win.events.find((event) => event.type === 'p2p-error')?.detail as { code: string; message: string; recoverable: boolean };
    expect(warning.recoverable).to.equal(true);
    expect(warning.message).to.contain('camera');
    expect(call.cameraOff).to.equal(true);
    expect(call.outgoingStream!.getVideoTracks()).to.have.length(0);
    expect(call.outgoingStream!.getAudioTracks()).to.have.length(1);

    // The other person still gets a call: audio from the framed side, video the other way.
    const other = await fixture<P2PCall>(html`<p2p-call room=${room} signaling="broadcast" auto-join></p2p-call>`);
    await waitForState(other, 'connected');
    await waitFor(() => call.state === 'connected', 10_000, 'framed side connected');
    await waitFor(() => (other.remoteStream?.getAudioTracks().length ?? 0) > 0, 10_000, 'remote audio');
  });
});
