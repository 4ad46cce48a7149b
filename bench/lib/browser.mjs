// One headless Chromium for the whole run (system binary, fake camera and microphone, no network beyond loopback),
// and bench pages that load the built bundle by a plain script tag.
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.mjs';

export async function launchBrowser() {
  const executablePath = findChrome();
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...CHROME_ARGS, '--window-size=1280,900'],
    defaultViewport: { width: 1280, height: 900 },
    protocolTimeout: 180_000,
  });
  return { browser, executablePath, version: await browser.version() };
}

/**
 * Opens the bench page; resolves once `window.bench` exists. Page errors and console errors are kept on
 * `page.benchLog` so a failing measurement can say what the page said.
 */
export async function openBenchPage(browser, origin, { verbose = false } = {}) {
  const page = await browser.newPage();
  page.benchLog = [];
  page.on('pageerror', (error) => page.benchLog.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning' || verbose) {
      page.benchLog.push(`console.${message.type()}: ${message.text()}`);
    }
  });
  await page.goto(`${origin}/bench/pages/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.bench && customElements.get('p2p-call'), { timeout: 15_000 });
  return page;
}

/** Main-thread counters from the DevTools protocol (cumulative seconds and bytes). */
export async function performanceMetrics(client) {
  const { metrics } = await client.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map(({ name, value }) => [name, value]));
}
