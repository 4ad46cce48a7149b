// Browsers inside client namespaces. puppeteer starts a two-line wrapper as its "browser": the wrapper execs the
// real binary under `ip netns exec`, so the browser and every process it forks live in the client's network.
// Chromium is driven over a pipe (no port to reach across namespaces); Firefox speaks WebDriver BiDi over a TCP port
// on the namespace's loopback, reached through a Unix-socket bridge (unix-bridge.mjs).
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../../../scripts/find-chrome.mjs';
import { FIREFOX_PREFS, findFirefox } from '../../../scripts/find-firefox.mjs';
import { spawnInNamespace, stopProcess, waitUntil } from './processes.mjs';
import { freePort } from '../../../scripts/free-port.mjs';

const LAUNCH_TIMEOUT_MS = 30_000;
const PROTOCOL_TIMEOUT_MS = 30_000;

/**
 * The project's test flags, plus what the lab needs: pages from http://<lab address> count as secure contexts
 * (getUserMedia needs one; only 127.0.0.1/localhost are secure without TLS), host candidates carry the real address
 * instead of an mDNS name (which does not resolve across namespaces: see docs/network-lab.md), and coturn's
 * self-signed certificate is accepted for TURN over TLS. Chromium reads one --disable-features switch: merged.
 */
export function chromiumArgs(secureOrigins) {
  const disabled = ['WebRtcHideLocalIpsWithMdns'];
  const args = [];
  for (const arg of CHROME_ARGS) {
    if (arg.startsWith('--disable-features=')) disabled.unshift(arg.slice('--disable-features='.length));
    else args.push(arg);
  }
  return [
    ...args,
    `--disable-features=${disabled.join(',')}`,
    `--unsafely-treat-insecure-origin-as-secure=${secureOrigins.join(',')}`,
    '--ignore-certificate-errors',
    '--window-size=800,600',
  ];
}

/** The project's Firefox test preferences, with the lab's page origin allowed camera access over plain HTTP. */
export function firefoxPrefs() {
  return {
    ...FIREFOX_PREFS,
    'media.devices.insecure.enabled': true,
    'media.getusermedia.insecure.enabled': true,
    // The namespace has no route anywhere but the lab: no proxy backstop needed (it would catch the lab's pages).
    'network.proxy.type': 0,
  };
}

async function writeWrapper(dir, name, ns, binary) {
  const path = join(dir, `${name}.sh`);
  await writeFile(path, `#!/bin/sh\nexec ip netns exec ${ns} ${binary} "$@"\n`);
  await chmod(path, 0o755);
  return path;
}

export async function launchChromium({ client, dir, secureOrigins }) {
  const executablePath = await writeWrapper(dir, `chromium-${client.name}`, client.ns, findChrome({ install: false }));
  const browser = await puppeteer.launch({
    executablePath,
    pipe: true,
    headless: true,
    args: chromiumArgs(secureOrigins),
    defaultViewport: { width: 800, height: 600 },
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: PROTOCOL_TIMEOUT_MS,
  });
  return { kind: 'chromium', client, browser, version: await browser.version(), close: () => closeBrowser(browser) };
}

export async function launchFirefox({ client, dir }) {
  const port = await freePort();
  const socketPath = join(dir, `firefox-${client.name}.sock`);
  const bridgeLog = join(dir, `bridge-${client.name}.log`);
  const bridge = spawnInNamespace(
    client.ns,
    process.execPath,
    [fileURLToPath(new URL('./unix-bridge.mjs', import.meta.url)), socketPath, String(port)],
    { logPath: bridgeLog },
  );
  await waitUntil(async () => (await readFile(bridgeLog, 'utf8')).includes('bridge-ready'), {
    child: bridge,
    what: 'the Firefox bridge',
  });
  // The host side: 127.0.0.1:<port> here leads to 127.0.0.1:<port> in the client namespace.
  const relay = createServer((socket) => {
    const upstream = createConnection(socketPath);
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise((resolve) => relay.listen(port, '127.0.0.1', resolve));
  const executablePath = await writeWrapper(dir, `firefox-${client.name}`, client.ns, findFirefox());
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless: true,
      debuggingPort: port,
      extraPrefsFirefox: firefoxPrefs(),
      defaultViewport: { width: 800, height: 600 },
      timeout: LAUNCH_TIMEOUT_MS,
      protocolTimeout: PROTOCOL_TIMEOUT_MS,
    });
    const close = async () => {
      await closeBrowser(browser);
      relay.close();
      await stopProcess(bridge);
    };
    return { kind: 'firefox', client, browser, version: await browser.version(), close };
  } catch (error) {
    relay.close();
    await stopProcess(bridge);
    throw error;
  }
}

/** Closes politely, then kills the process (puppeteer's own child: the wrapper, which exec'd the browser). */
async function closeBrowser(browser) {
  const child = browser.process();
  await Promise.race([browser.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
