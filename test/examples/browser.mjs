// A headless system Chromium for the example tests (fake camera and microphone, loopback only), and pages that
// keep what they logged so a failing test can say what the page said.
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.mjs';

export async function launchBrowser() {
  return puppeteer.launch({
    executablePath: findChrome(),
    headless: true,
    args: CHROME_ARGS,
    protocolTimeout: 120_000,
  });
}

export async function openPage(browser, url) {
  const page = await browser.newPage();
  page.log = [];
  page.on('pageerror', (error) => page.log.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser asks every origin for a favicon the examples do not have.
    if (message.type() === 'error' && !message.location().url?.endsWith('/favicon.ico')) {
      page.log.push(`console.error: ${message.text()} ${message.location().url ?? ''}`);
    }
  });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Clicks like a person: the tab comes to the front first (puppeteer's click waits for a frame, and a tab in the
 * background draws none). */
export async function press(page, selector) {
  await page.bringToFront();
  await page.click(selector);
}

/** Resolves when the page's <p2p-call> (inside `scope`, a selector) reports `state`; the error names the last one. */
export async function waitForCallState(page, state, { scope = 'body', timeout = 30_000 } = {}) {
  try {
    await page.waitForFunction(
      (selector, wanted) => document.querySelector(`${selector} p2p-call`)?.state === wanted,
      { timeout, polling: 100 }, // not requestAnimationFrame: it stops in a background tab
      scope,
      state,
    );
  } catch (error) {
    const last = await page.evaluate((selector) => document.querySelector(`${selector} p2p-call`)?.state, scope);
    throw new Error(
      `${page.url()}: no "${state}" (last state: ${last}); page log: ${page.log.join(' | ') || 'empty'}`,
      {
        cause: error,
      },
    );
  }
}
