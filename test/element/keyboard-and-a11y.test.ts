import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { render } from 'lit';
import { translator } from '../../src/element/i18n/translate.js';
import { mediaProblem } from '../../src/element/media-problem.js';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { nextEvent, uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

const part = <T extends Element = HTMLElement>(call: P2PCall, name: string) => call.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const focusedPart = (call: P2PCall) => call.shadowRoot!.activeElement?.getAttribute('part') ?? '';
const liveRegion = (call: P2PCall) => call.shadowRoot!.querySelector('[aria-live="polite"][role="status"]')!.textContent!.trim();

/** Presses Tab until the element's focused part is `name` (a keyboard user's way there); fails after 30 presses. */
async function tabTo(call: P2PCall, name: string): Promise<void> {
  for (let presses = 0; presses < 30; presses++) {
    if (focusedPart(call) === name) return;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached ${name} (at "${focusedPart(call)}")`);
}

describe('<p2p-call> keyboard and screen readers', () => {
  it('keyboard only: lobby -> join -> share -> shortcuts -> hang up, with visible focus and announcements', async function () {
    this.timeout(180_000); // a whole call, five axe runs and a screen share on a shared 2-core machine
    const { a, b } = await callPair('broadcast', { autoJoin: false });
    void b.join();
    await waitFor(() => Boolean(part(a, 'join-button')) && Boolean(part(a, 'camera-select')), 15_000, 'the lobby');
    await expect(a).to.be.accessible(); // state: lobby

    await tabTo(a, 'join-button');
    const button = part(a, 'join-button')!;
    expect(getComputedStyle(button).outlineStyle).to.not.equal('none'); // focus is visible
    await sendKeys({ press: 'Enter' });
    await waitForState(a, 'connected');
    await waitFor(() => liveRegion(a) === 'Grace joined the call.', 5000, 'the join announcement');
    await expect(a).to.be.accessible(); // state: connected

    await tabTo(a, 'share-button');
    await sendKeys({ press: 'Enter' }); // getDisplayMedia: the fake UI picks a screen
    await waitFor(() => Boolean(a.localShareStream), 10_000, 'a local share');
    await a.updateComplete;
    expect(part(a, 'share-button')!.getAttribute('aria-pressed')).to.equal('true');
    expect(liveRegion(a)).to.equal('You are sharing your screen.');
    await waitFor(() => Boolean(b.remoteShareStream), 10_000, 'the remote share');
    await waitFor(() => liveRegion(b) === 'Ada started sharing.', 5000, 'the share announcement');
    await b.updateComplete;
    await expect(b).to.be.accessible(); // state: sharing (remote side)
    await expect(a).to.be.accessible(); // state: sharing (local side)

    // Shortcuts act while focus is in the element...
    await sendKeys({ press: 'm' });
    await waitFor(() => a.muted, 5000, 'muted by M');
    expect(part(a, 'mic-button')!.getAttribute('aria-pressed')).to.equal('true');
    await sendKeys({ press: 'v' });
    await waitFor(() => a.cameraOff, 5000, 'camera off by V');
    // ...but not while typing in the chat.
    await tabTo(a, 'chat-button');
    await sendKeys({ press: 'Enter' });
    await a.updateComplete;
    part<HTMLInputElement>(a, 'chat-input')!.focus();
    await sendKeys({ type: 'mv' });
    expect(part<HTMLInputElement>(a, 'chat-input')!.value).to.equal('mv');
    expect(a.muted && a.cameraOff).to.equal(true);

    const left = nextEvent(b, 'p2p-peer-leave');
    await tabTo(a, 'leave-button');
    await sendKeys({ press: 'Enter' });
    expect(a.state).to.equal('ended');
    await left;
    await waitFor(() => liveRegion(b) === 'Ada left the call.', 5000, 'the leave announcement');
    await waitForState(b, 'waiting');
    await b.updateComplete;
    await expect(b).to.be.accessible(); // state: waiting
    await expect(a).to.be.accessible(); // state: ended
  });

  it('shortcuts do nothing from outside the element or with a modifier', async () => {
    const outside = await fixture<HTMLDivElement>(html`<div><button id="out">x</button><p2p-call no-lobby room=${uniqueRoom()} signaling="broadcast"></p2p-call></div>`);
    const call = outside.querySelector('p2p-call')!;
    outside.querySelector<HTMLButtonElement>('#out')!.focus();
    await sendKeys({ press: 'm' });
    call.shadowRoot!.querySelector<HTMLButtonElement>('[part="join-button"]')!.focus();
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'm' });
    await sendKeys({ up: 'Control' });
    expect(call.muted).to.equal(false);
    await sendKeys({ press: 'm' });
    expect(call.muted).to.equal(true);
  });

  it('is axe-clean in the error state, and on the camera-problem screen', async () => {
    const { room, a, b } = await callPair('broadcast');
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    const third = await fixture<P2PCall>(html`<p2p-call no-lobby room=${room} signaling="broadcast" name="Eve"></p2p-call>`);
    void third.join();
    await waitForState(third, 'error');
    await third.updateComplete;
    expect(part(third, 'status')!.getAttribute('role')).to.equal('alert');
    await expect(third).to.be.accessible();
    // The permission screen appears only where the browser refuses devices (a framed page, out of axe's reach
    // here): check the same template, rendered in this document.
    const host = await fixture<HTMLDivElement>(html`<div style="position:relative;height:300px;background:#0b0d10;color:#fff"></div>`);
    render(mediaProblem(translator('en'), 'permission-denied', () => {}, 'h2'), host);
    await expect(host).to.be.accessible();
  });
});
