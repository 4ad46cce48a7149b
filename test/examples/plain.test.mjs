// examples/plain: the server-rendered page with one script tag (dist/p2p-call.min.js). Two tabs of it, as two
// people would open it, reach connected, and the page's own plain-script listeners log the events.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startPlainExample } from '../../examples/plain/serve.mjs';
import { launchBrowser, openPage, waitForCallState } from './browser.mjs';

let example;
let browser;

before(async () => {
  example = await startPlainExample({ port: 0 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await example?.close();
});

test('two tabs of the plain page connect and the inline script logs the events', async () => {
  const first = await openPage(browser, `${example.url}/`);
  const second = await openPage(browser, `${example.url}/`);

  // The element came from the script-tag bundle (an ES module), configured by attributes only.
  assert.equal(await first.evaluate(async () => customElements.get('p2p-call') === (await import('/dist/p2p-call.min.js')).P2PCall), true);
  assert.equal(await first.evaluate(() => document.querySelector('p2p-call').state), 'idle');

  // A person presses the element's own Join button in each tab.
  for (const page of [first, second]) {
    await page.evaluate(() =>
      document.querySelector('p2p-call').shadowRoot.querySelector('[part="join-button"]').click(),
    );
  }
  await waitForCallState(first, 'connected');
  await waitForCallState(second, 'connected');

  const log = await first.evaluate(() => [...document.querySelectorAll('#log li')].map((item) => item.textContent));
  assert.ok(log.includes('state: connected'), `log: ${log.join(', ')}`);
  assert.ok(log.includes('joined: Your advisor'), `log: ${log.join(', ')}`);
  assert.deepEqual([...first.log, ...second.log], []);
});
