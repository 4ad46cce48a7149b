// WebKit, as far as this machine kind can run it: Debian's WebKitGTK (MiniBrowser under Xvfb, driven over WebDriver
// by WebKitWebDriver) has no WebRTC, so no call; what it can show is the element from the built script-tag bundle
// in a WebKit engine: that it defines and renders, that its lobby says this browser cannot call (instead of asking
// for a camera it could never send), that join() ends in the `unsupported` state with the same explanation, with no
// page error, and that media capture with WebKit's mock devices works. `npm test` installs WebKitGTK and Xvfb
// (scripts/system-deps.mjs); where they are missing anyway, the test fails naming what to install.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { bundleAndFixtures, serveStatic } from '../support/static-site.mjs';
import { freePort } from '../../scripts/free-port.mjs';

const MINIBROWSER = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const TOOLS = ['/usr/bin/WebKitWebDriver', '/usr/bin/xvfb-run', MINIBROWSER];
const missing = TOOLS.filter((path) => !existsSync(path));
const STEP_TIMEOUT_MS = 30_000;

/** A WebDriver (classic, HTTP) client for one MiniBrowser session. */
async function startWebKit() {
  const port = await freePort();
  // Its own process group, so that closing it takes Xvfb and the driver along.
  const driver = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { detached: true, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const request = async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    const { value } = await response.json();
    if (!response.ok) throw new Error(`${method} ${path}: ${value?.error}: ${value?.message}`);
    return value;
  };
  const close = () => {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    for (let started = Date.now(); ;) {
      const up = await fetch(`${base}/status`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
      if (up?.ok) break;
      if (Date.now() - started > STEP_TIMEOUT_MS) throw new Error('WebKitWebDriver did not start');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const session = await request('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          'webkitgtk:browserOptions': {
            binary: MINIBROWSER,
            args: ['--automation', '--enable-media-stream=true', '--enable-mock-capture-devices=true'],
          },
        },
      },
    });
    const id = session.sessionId;
    return {
      version: `${session.capabilities.browserName} ${session.capabilities.browserVersion}`,
      goto: (url) => request('POST', `/session/${id}/url`, { url }),
      /** Runs `body` (an async function's body, as text) in the page and resolves to what it returns. */
      run: (body) =>
        request('POST', `/session/${id}/execute/async`, {
          script: `const done = arguments[arguments.length - 1];
            (async () => { ${body} })().then(done, (error) => done({ thrown: String(error) }));`,
          args: [],
        }),
      close: async () => {
        await request('DELETE', `/session/${id}`).catch(() => {});
        close();
      },
    };
  } catch (error) {
    close();
    throw error;
  }
}

/** What the page's element shows: its state, the parts on screen, the problem screen's code and text. */
const SNAPSHOT = `
  await customElements.whenDefined('p2p-call');
  const call = document.querySelector('p2p-call');
  await call.updateComplete;
  const root = call.shadowRoot;
  const text = (selector) => root.querySelector(selector)?.textContent.replace(/\\s+/g, ' ').trim() ?? null;
  return {
    state: call.state,
    parts: [...root.querySelectorAll('[part]')].flatMap((element) => element.getAttribute('part').split(' ')),
    problem: root.querySelector('[part="problem"]')?.dataset.code ?? null,
    problemTitle: text('[part="problem"] h2, [part="problem"] h3'),
    errors: window.pageErrors,
  };
`;

test('WebKitGTK: the element defines, says this browser cannot call, and join() ends in unsupported', async (t) => {
  assert.deepEqual(missing, [], 'WebKitGTK and Xvfb are needed (Debian: apt-get install webkit2gtk-driver xvfb)');
  const server = await serveStatic(bundleAndFixtures());
  const webkit = await startWebKit();
  try {
    t.diagnostic(webkit.version);
    await webkit.goto(`${server.origin}/bundle-page.html?room=webkit-${Date.now()}`);
    const support = await webkit.run(`return {
      RTCPeerConnection: typeof RTCPeerConnection,
      getUserMedia: typeof navigator.mediaDevices?.getUserMedia,
      getDisplayMedia: typeof navigator.mediaDevices?.getDisplayMedia,
      setSinkId: 'setSinkId' in HTMLMediaElement.prototype,
      pictureInPicture: document.pictureInPictureEnabled === true,
      fullscreen: document.fullscreenEnabled === true,
      constructableStyleSheets: 'adoptedStyleSheets' in Document.prototype,
      lightDark: CSS.supports('color', 'light-dark(#000, #fff)'),
    };`);
    t.diagnostic(`APIs: ${JSON.stringify(support)}`);
    // The premise: were WebKitGTK built with WebRTC one day, this test should become a call.
    assert.equal(support.RTCPeerConnection, 'undefined', 'this WebKitGTK has WebRTC: test a call instead');

    // The lobby: no preview of a camera that could never reach anyone, the explanation, no retry button.
    const lobby = await webkit.run(`
      for (let tries = 0; tries < 100 && !document.querySelector('p2p-call')?.shadowRoot?.querySelector('[part="problem"]'); tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      ${SNAPSHOT}`);
    assert.equal(lobby.state, 'idle');
    assert.equal(lobby.problem, 'unsupported');
    assert.equal(lobby.problemTitle, 'This browser cannot make calls here');
    assert.ok(lobby.parts.includes('join-button') && !lobby.parts.includes('retry-button'), lobby.parts.join(' '));
    assert.ok(!lobby.parts.includes('preview-video'), lobby.parts.join(' '));

    // join(): the error state with the code unsupported, explained by the same screen.
    const joined = await webkit.run(`
      const call = document.querySelector('p2p-call');
      let reported;
      call.addEventListener('p2p-error', (event) => (reported = event.detail));
      await call.join();
      const shown = await (async () => { ${SNAPSHOT} })();
      return { ...shown, reported };
    `);
    assert.equal(joined.state, 'error');
    assert.equal(joined.reported?.code, 'unsupported');
    assert.equal(joined.problem, 'unsupported');
    assert.deepEqual(joined.errors, []);

    // Media capture itself works in this WebKit (mock devices): what a WebKit with WebRTC would send.
    const tracks = await webkit.run(`
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      const kinds = stream.getTracks().map((track) => track.kind + ':' + track.readyState);
      stream.getTracks().forEach((track) => track.stop());
      return kinds.sort();`);
    assert.deepEqual(tracks, ['audio:live', 'video:live']);
  } finally {
    await webkit.close();
    await server.stop();
  }
});
