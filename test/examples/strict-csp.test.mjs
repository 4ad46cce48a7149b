// The element under the strictest Content-Security-Policy a host is likely to run: scripts and styles only from the
// page's own origin, no inline code, Trusted Types required (with only Lit's policy allowed). Two elements from the
// built script-tag bundle connect, share a canvas, send a file and open the chat, and the page reports no violation.
// SECURITY.md quotes this policy as the one a host needs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bundleAndFixtures, serveStatic } from '../support/static-site.mjs';
import { launchBrowser } from './browser.mjs';

export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let server;
let browser;

before(async () => {
  server = await serveStatic(bundleAndFixtures(), { headers: { 'content-security-policy': STRICT_CSP } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('two elements connect, share, send a file and chat under a strict CSP with Trusted Types, with no violation', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.origin}/strict-csp.html`, { waitUntil: 'load' });
  await page.bringToFront();
  await page.waitForFunction(() => window.steps?.includes('done') || window.failure, { timeout: 60_000, polling: 100 });
  const { steps, failure, violations } = await page.evaluate(() => ({
    steps: window.steps,
    failure: window.failure,
    violations: window.violations,
  }));
  assert.equal(failure, undefined, `the call failed under the policy: ${failure}`);
  assert.deepEqual(steps, ['connected', 'shared', 'file', 'panels', 'done']);
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(errors, []);
  // The policy was in force, so the checks above could fail: Trusted Types refuse a string as script, and an inline
  // style is blocked and reported.
  const control = await page.evaluate(() => {
    let trustedTypesEnforced = false;
    try {
      document.createElement('script').textContent = 'window.inlineRan = true';
    } catch (error) {
      trustedTypesEnforced = error instanceof TypeError;
    }
    document.body.setAttribute('style', 'outline: 1px solid red');
    return new Promise((resolve) =>
      setTimeout(() => resolve({ trustedTypesEnforced, reported: window.violations }), 200),
    );
  });
  assert.equal(control.trustedTypesEnforced, true);
  assert.ok(
    control.reported.some((line) => line.startsWith('style-src')),
    `the inline style was reported: ${control.reported}`,
  );
});
