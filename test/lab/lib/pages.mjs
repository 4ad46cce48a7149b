// Lab pages: open one in a browser, wait for it to be ready, poll it, and gather what it recorded.
import { setTimeout as sleep } from 'node:timers/promises';

const PAGE_READY_MS = 15_000;

/** Opens the lab page in `side.browser`; page errors are kept on the returned object for failure reports. */
export async function openLabPage(side, url) {
  const page = await side.browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  await page.goto(url, { waitUntil: 'load', timeout: PAGE_READY_MS });
  await page.waitForFunction(() => window.labReady === true && customElements.get('p2p-call') !== undefined, {
    timeout: PAGE_READY_MS,
    polling: 100,
  });
  return { page, problems, side };
}

/** Polls `read` in each page every `intervalMs` until `done(values)` or `timeoutMs`; returns the last values. */
export async function pollPages(pages, read, done, { timeoutMs, intervalMs = 100 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const values = await Promise.all(pages.map((p) => p.page.evaluate(read)));
    if (done(values)) return { values, timedOut: false };
    if (Date.now() > deadline) return { values, timedOut: true };
    await sleep(intervalMs);
  }
}

export async function closePage(labPage) {
  await labPage?.page.close({ runBeforeUnload: false }).catch(() => {});
}
