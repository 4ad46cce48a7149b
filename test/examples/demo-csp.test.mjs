// The demo as `npm start` serves it, under its strict Content-Security-Policy (no inline script or style, nothing
// from other origins): two tabs join a room over the server's WebSocket and connect, and neither page reports a
// single CSP violation, nor does the BroadcastChannel page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { launchBrowser, waitForCallState } from './browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

let demo;
let origin;
let browser;

before(async () => {
  demo = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { PATH: process.env.PATH, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  origin = await new Promise((resolve, reject) => {
    let out = '';
    demo.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const port = /p2p-call demo: http:\/\/localhost:(\d+)\//u.exec(out)?.[1];
      // localhost, as a person opens it: the page's own origin is what 'self' allows.
      if (port) resolve(`http://localhost:${port}`);
    });
    demo.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (demo) {
    const exited = once(demo, 'exit');
    demo.kill('SIGTERM');
    await exited;
  }
});

/** Opens a page that records every CSP violation (and page error) from its first script on. */
async function openRecorded(url) {
  const page = await browser.newPage();
  page.log = [];
  page.on('pageerror', (error) => page.log.push(`pageerror: ${error.message}`));
  await page.evaluateOnNewDocument(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      window.violations.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`),
    );
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.match(response.headers()['content-security-policy'], /script-src 'self';/);
  return page;
}

test('two tabs of the demo connect under its CSP without a violation', async () => {
  const room = `csp-${Date.now()}`;
  const pages = [await openRecorded(`${origin}/?room=${room}`), await openRecorded(`${origin}/?room=${room}`)];
  for (const page of pages) {
    await page.bringToFront();
    await page.evaluate(() =>
      document.querySelector('p2p-call').shadowRoot.querySelector('[part="join-button"]').click(),
    );
  }
  for (const page of pages) await waitForCallState(page, 'connected');
  for (const page of pages) {
    assert.match(await page.evaluate(() => document.querySelector('p2p-call').getAttribute('signaling')), /^ws:/);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(page.log, []);
  }
  const broadcast = await openRecorded(`${origin}/broadcast.html?room=${room}`);
  assert.equal(await broadcast.evaluate(() => customElements.get('p2p-call') !== undefined), true);
  assert.deepEqual(await broadcast.evaluate(() => window.violations), []);
});
