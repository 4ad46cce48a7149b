// Browsers that lack an API the element uses, made from real Chromium: each test deletes the API in a fresh page
// before the built script-tag bundle loads, then checks that the element says what it cannot do (the `unsupported`
// state and screen) or leaves the control out, and never fails: no page error, no unhandled rejection. A first test
// with every API present shows that each checked control does appear when its API is there.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bundleAndFixtures, serveStatic } from '../support/static-site.mjs';
import { launchBrowser, waitForCallState } from './browser.mjs';

let server;
let browser;

before(async () => {
  server = await serveStatic(bundleAndFixtures());
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * bundle-page.html with `remove` run before any of the page's scripts. The page counts camera/microphone requests
 * (`window.captures`, when getUserMedia is there to call) and keeps unhandled rejections beside page errors.
 */
async function pageWithout(remove, query = {}) {
  const tab = await browser.newPage();
  tab.log = [];
  tab.on('pageerror', (error) => tab.log.push(`pageerror: ${error.message}`));
  await tab.evaluateOnNewDocument(remove);
  await tab.evaluateOnNewDocument(() => {
    window.rejections = [];
    window.addEventListener('unhandledrejection', (event) => window.rejections.push(String(event.reason)));
    window.captures = 0;
    const getUserMedia = globalThis.MediaDevices?.prototype.getUserMedia;
    if (getUserMedia) {
      MediaDevices.prototype.getUserMedia = function (...args) {
        window.captures += 1;
        return getUserMedia.apply(this, args);
      };
    }
  });
  const search = new URLSearchParams({ room: `missing-${Date.now()}-${Math.random()}`, ...query });
  await tab.goto(`${server.origin}/bundle-page.html?${search}`, { waitUntil: 'load' });
  await tab.evaluate(async () => {
    await customElements.whenDefined('p2p-call');
    await document.querySelector('p2p-call').updateComplete;
  });
  return tab;
}

/** pageWithout() with the lobby off, joined: the element waits in the room, its control bar showing. */
async function waitingWithout(remove) {
  const tab = await pageWithout(remove, { lobby: 'off' });
  await joinAndCollectError(tab);
  await waitForCallState(tab, 'waiting');
  return tab;
}

/** The parts the element shows now (after its pending update), the problem screen's code, and the page's failures. */
function snapshot(tab) {
  return tab.evaluate(async () => {
    const call = document.querySelector('p2p-call');
    await call.updateComplete;
    const root = call.shadowRoot;
    return {
      state: call.state,
      parts: [...root.querySelectorAll('[part]')].flatMap((element) => element.getAttribute('part').split(' ')),
      problem: root.querySelector('[part="problem"]')?.dataset.code,
      captures: window.captures,
      failures: window.rejections,
    };
  });
}

/** join() in the page; resolves to the `p2p-error` it reported (code, recoverable, message), if any. */
function joinAndCollectError(tab) {
  return tab.evaluate(async () => {
    const call = document.querySelector('p2p-call');
    let error;
    call.addEventListener('p2p-error', (event) => (error ??= event.detail));
    await call.join();
    return error;
  });
}

/** Waits until the element shows `part` (the lobby's preview and device lists open asynchronously). */
function waitForPart(tab, part) {
  return tab.waitForFunction(
    (wanted) => document.querySelector('p2p-call').shadowRoot.querySelector(`[part~="${wanted}"]`),
    { timeout: 15_000, polling: 100 },
    part,
  );
}

function assertNoFailure(tab, shown) {
  assert.deepEqual(tab.log, []);
  assert.deepEqual(shown.failures, []);
}

test('with every API present, each control checked below is there', async () => {
  const lobby = await pageWithout(() => {});
  await waitForPart(lobby, 'speaker-select');
  const inLobby = await snapshot(lobby);
  assert.ok(inLobby.parts.includes('mic-level'), inLobby.parts.join(' '));
  assert.ok(inLobby.captures >= 1);
  assertNoFailure(lobby, inLobby);
  await lobby.close();

  const call = await waitingWithout(() => {});
  const inCall = await snapshot(call);
  for (const part of ['share-button', 'pip-button', 'fullscreen-button', 'mic-button']) {
    assert.ok(inCall.parts.includes(part), `${part} in ${inCall.parts.join(' ')}`);
  }
  assertNoFailure(call, inCall);
  await call.close();
});

test('no RTCPeerConnection: the lobby says this browser cannot call (no camera asked), join() ends in unsupported', async () => {
  const tab = await pageWithout(() => {
    delete window.RTCPeerConnection;
    delete window.webkitRTCPeerConnection;
  });
  await waitForPart(tab, 'problem');
  const inLobby = await snapshot(tab);
  assert.equal(inLobby.problem, 'unsupported');
  assert.ok(!inLobby.parts.includes('retry-button'), 'no retry: retrying cannot add WebRTC');
  assert.ok(inLobby.parts.includes('join-button'));
  assert.equal(inLobby.captures, 0);

  const error = await joinAndCollectError(tab);
  assert.equal(error?.code, 'unsupported');
  assert.equal(error?.recoverable, false);
  const after = await snapshot(tab);
  assert.equal(after.state, 'error');
  assert.equal(after.problem, 'unsupported'); // the status explains it with the same screen
  assert.equal(after.captures, 0);
  assertNoFailure(tab, after);
  await tab.close();
});

for (const [what, remove] of [
  ['no navigator.mediaDevices', () => delete Navigator.prototype.mediaDevices],
  ['no getUserMedia', () => delete MediaDevices.prototype.getUserMedia],
]) {
  test(`${what} (as on a page outside https): the lobby's problem screen, join() ends in unsupported`, async () => {
    const tab = await pageWithout(remove);
    await waitForPart(tab, 'problem');
    const inLobby = await snapshot(tab);
    assert.equal(inLobby.problem, 'unsupported');
    assert.ok(!inLobby.parts.includes('retry-button'));

    const error = await joinAndCollectError(tab);
    assert.equal(error?.code, 'unsupported');
    const after = await snapshot(tab);
    assert.equal(after.state, 'error');
    assert.equal(after.problem, 'unsupported');
    assertNoFailure(tab, after);
    await tab.close();
  });
}

test('no getDisplayMedia (phones): no share button; shareScreen() reports unsupported and the call goes on', async () => {
  const tab = await waitingWithout(() => delete MediaDevices.prototype.getDisplayMedia);
  const inCall = await snapshot(tab);
  assert.ok(inCall.parts.includes('mic-button'));
  assert.ok(!inCall.parts.includes('share-button'), inCall.parts.join(' '));
  const error = await tab.evaluate(async () => {
    const call = document.querySelector('p2p-call');
    const reported = new Promise((resolve) =>
      call.addEventListener('p2p-error', (event) => resolve(event.detail), { once: true }),
    );
    await call.shareScreen();
    return reported;
  });
  assert.deepEqual({ code: error.code, recoverable: error.recoverable }, { code: 'unsupported', recoverable: true });
  const after = await snapshot(tab);
  assert.equal(after.state, 'waiting');
  assertNoFailure(tab, after);
  await tab.close();
});

test('no picture-in-picture, no element full screen (iPhone Safari): neither button', async () => {
  const tab = await waitingWithout(() => {
    delete HTMLVideoElement.prototype.requestPictureInPicture;
    delete Document.prototype.pictureInPictureEnabled;
    delete Document.prototype.exitPictureInPicture;
    delete Element.prototype.requestFullscreen;
    delete Document.prototype.fullscreenEnabled;
  });
  const inCall = await snapshot(tab);
  assert.ok(inCall.parts.includes('mic-button'));
  assert.ok(!inCall.parts.includes('pip-button'), inCall.parts.join(' '));
  assert.ok(!inCall.parts.includes('fullscreen-button'), inCall.parts.join(' '));
  assertNoFailure(tab, inCall);
  await tab.close();
});

test('no setSinkId, no Web Audio: the lobby works without a speaker picker and without a level meter', async () => {
  const tab = await pageWithout(() => {
    delete HTMLMediaElement.prototype.setSinkId;
    delete window.AudioContext;
    delete window.webkitAudioContext;
  });
  await waitForPart(tab, 'camera-select');
  const inLobby = await snapshot(tab);
  assert.equal(inLobby.problem, undefined);
  assert.ok(!inLobby.parts.includes('speaker-select'), inLobby.parts.join(' '));
  assert.ok(inLobby.parts.includes('microphone-select'));
  assert.ok(inLobby.captures >= 1);
  assertNoFailure(tab, inLobby);
  await tab.close();
});

test('no BroadcastChannel with signaling="broadcast": join() ends in unsupported before asking for the camera', async () => {
  const tab = await pageWithout(() => delete window.BroadcastChannel, { lobby: 'off' });
  const error = await joinAndCollectError(tab);
  assert.equal(error?.code, 'unsupported');
  assert.match(error?.message ?? '', /BroadcastChannel/u);
  const after = await snapshot(tab);
  assert.equal(after.state, 'error');
  assert.equal(after.captures, 0);
  assertNoFailure(tab, after);
  await tab.close();
});

test('no constructable style sheets (Safari before 16.4): the element and a panel loaded later are styled', async () => {
  const tab = await waitingWithout(() => {
    delete Document.prototype.adoptedStyleSheets;
    delete ShadowRoot.prototype.adoptedStyleSheets;
    delete CSSStyleSheet.prototype.replace;
    delete CSSStyleSheet.prototype.replaceSync;
  });
  await tab.evaluate(() =>
    document.querySelector('p2p-call').shadowRoot.querySelector('[part~="chat-button"]').click(),
  );
  await waitForPart(tab, 'chat');
  const styled = await tab.evaluate(async () => {
    const call = document.querySelector('p2p-call');
    await call.updateComplete;
    const style = (part) => getComputedStyle(call.shadowRoot.querySelector(`[part~="${part}"]`));
    return { controls: style('controls').display, chatPadding: style('chat').paddingTop };
  });
  // The control bar is a flex row (the element's own styles), the chat panel has its padding (the panels chunk's).
  assert.deepEqual(styled, { controls: 'flex', chatPadding: '6px' });
  assertNoFailure(tab, await snapshot(tab));
  await tab.close();
});
