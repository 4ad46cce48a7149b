// The two browsers of the interop tests, launched the same way everywhere: headless system Chromium with the flags
// of the browser tests, and headless Firefox ESR over WebDriver BiDi in a fresh profile with the test preferences.
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.mjs';
import { FIREFOX_PREFS, findFirefox } from '../../scripts/find-firefox.mjs';

/** Generous: a loaded 2-core machine can take tens of seconds over one protocol call. */
const PROTOCOL_TIMEOUT_MS = 60_000;

export const launchChromium = () =>
  puppeteer.launch({
    executablePath: findChrome(),
    headless: true,
    args: CHROME_ARGS,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
  });

/** `prefs` go over FIREFOX_PREFS (e.g. a different autoplay policy). */
export const launchFirefox = (prefs = {}) =>
  puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...prefs },
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
  });

/** Closes `browser` (if any), and kills its process when close() does not return within 10 s. */
export async function shutDown(browser) {
  if (!browser) return;
  const child = browser.process();
  let timer;
  const hung = new Promise((resolve) => (timer = setTimeout(resolve, 10_000)));
  await Promise.race([browser.close().catch(() => {}), hung]);
  clearTimeout(timer);
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
