import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { nextEvent, uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { callPair, connectedPair } from '../support/two-party.js';

const part = (call: P2PCall, name: string) => call.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const background = (call: P2PCall) => getComputedStyle(call).backgroundColor;
const DARK = 'rgb(17, 20, 24)';
const LIGHT = 'rgb(244, 246, 248)';

describe('<p2p-call> theming and layout', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('follows the system colour scheme unless the theme attribute forces one', async () => {
    const call = await fixture<P2PCall>(html`<p2p-call no-lobby room="r" signaling="broadcast"></p2p-call>`);
    await emulateMedia({ colorScheme: 'light' });
    expect(background(call)).to.equal(LIGHT);
    await emulateMedia({ colorScheme: 'dark' });
    expect(background(call)).to.equal(DARK);
    call.theme = 'light';
    await call.updateComplete;
    expect(background(call)).to.equal(LIGHT);
    await expect(call).to.be.accessible();
    call.theme = 'dark';
    await emulateMedia({ colorScheme: 'light' });
    await call.updateComplete;
    expect(background(call)).to.equal(DARK);
    await expect(call).to.be.accessible();
  });

  it('takes the host brand from custom properties alone', async () => {
    const call = await fixture<P2PCall>(
      html`<p2p-call no-lobby room="r" signaling="broadcast" style="--p2p-call-accent: rgb(255, 0, 128); --p2p-call-radius: 2px; --p2p-call-font: serif"></p2p-call>`,
    );
    const join = part(call, 'join-button')!;
    expect(getComputedStyle(join).backgroundColor).to.equal('rgb(255, 0, 128)');
    expect(getComputedStyle(call).borderTopLeftRadius).to.equal('2px');
    expect(getComputedStyle(join).fontFamily).to.equal('serif');
  });

  it('is axe-clean in the lobby in both themes', async () => {
    for (const theme of ['light', 'dark']) {
      const call = await fixture<P2PCall>(html`<p2p-call theme=${theme} room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
      await waitFor(() => Boolean(part(call, 'camera-select')), 15_000, 'the lobby pickers');
      await expect(call).to.be.accessible();
    }
  });

  it('exposes a part for every control, and picks the layout automatically or by attribute', async () => {
    const { a, b } = await connectedPair();
    await a.updateComplete;
    for (const name of ['mic-button', 'camera-button', 'share-button', 'file-button', 'chat-button', 'settings-button', 'fullscreen-button', 'pip-button', 'leave-button', 'controls', 'stage', 'remote', 'local']) {
      expect(part(a, name), name).to.not.equal(null);
    }
    const stage = part(a, 'stage')!;
    expect(stage.classList.contains('pip')).to.equal(true);
    a.style.width = '800px';
    a.layout = 'side-by-side';
    await a.updateComplete;
    expect(stage.classList.contains('side-by-side')).to.equal(true);
    const [remote, local] = [part(a, 'remote')!.getBoundingClientRect(), part(a, 'local')!.getBoundingClientRect()];
    expect(Math.abs(remote.width - local.width)).to.be.lessThan(2); // two equal columns
    expect(local.left).to.be.at.least(remote.right - 1);

    // A share takes the stage whatever the camera layout.
    const start = nextEvent(b, 'p2p-share-start');
    await a.shareScreen();
    await start;
    await b.updateComplete;
    expect(part(b, 'stage')!.classList.contains('share-focused')).to.equal(true);
    a.stopSharing();
  });

  it('fits a 320 px wide container: lobby and call controls without horizontal overflow', async () => {
    const { a, container } = await callPair('broadcast', { autoJoin: false });
    container.style.display = 'block';
    container.style.width = '320px';
    a.style.width = '320px';
    await waitFor(() => Boolean(part(a, 'camera-select')), 15_000, 'the lobby pickers');
    const lobby = part(a, 'lobby')!;
    expect(lobby.scrollWidth).to.be.at.most(lobby.clientWidth);
    expect(a.getBoundingClientRect().width).to.equal(320);
    void a.join();
    await waitForState(a, 'waiting');
    await a.updateComplete;
    const controls = part(a, 'controls')!;
    expect(controls.scrollWidth).to.be.at.most(controls.clientWidth);
    for (const button of controls.querySelectorAll('button')) {
      const box = button.getBoundingClientRect();
      expect(box.right, button.getAttribute('part')!).to.be.at.most(a.getBoundingClientRect().right);
      expect(box.width).to.be.at.least(24); // WCAG 2.5.8 target size
    }
    a.leave();
  });

  it('rejects an unknown layout or a negative latency budget with invalid-config', async () => {
    for (const [name, value, message] of [['layout', 'grid', /layout/], ['latency-budget', '-5', /latency-budget/]] as const) {
      const call = await fixture<P2PCall>(html`<p2p-call no-lobby room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
      call.setAttribute(name, value);
      const error = nextEvent(call, 'p2p-error');
      await call.join();
      expect((await error).detail.code).to.equal('invalid-config');
      expect((await error).detail.message).to.match(message);
    }
  });
});
