// The script-tag bundle from a real page, as a host loads it: the entry alone at page load, and each chunk
// (dist/min/) fetched by the browser only when a call needs it: the session once a call is likely (the lobby's
// camera preview is up, or a pointer reaches the element), German text, a file sent between two elements, the
// problem screen of a blocked camera. Real Chromium, the built files, no stand-ins.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { staticFolder } from '../../examples/static-files.mjs';
import { bundleAndFixtures, serveStatic } from '../support/static-site.mjs';
import { launchBrowser, waitForCallState } from './browser.mjs';

let site;
let cdn;
let origin;
let browser;
/** While set, the site answers requests for the session's chunk with 503 (a deployment or network failure). */
let failSessionChunk = false;

before(async () => {
  const failing = (request, response, pathname) => {
    if (!failSessionChunk || !pathname.startsWith('/dist/min/call-session-')) return false;
    response.writeHead(503).end();
    return true;
  };
  site = await serveStatic([failing, ...bundleAndFixtures()]);
  // The stand-in CDN, which another origin's page loads the bundle from.
  cdn = await serveStatic([staticFolder('/p2p-call@0.1.0/dist/', 'dist')], {
    headers: { 'access-control-allow-origin': '*' },
  });
  origin = site.origin;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const server of [site, cdn]) await server?.stop();
});

/**
 * Opens the page and keeps the path (from dist/ on) of every file it requests from dist/, in order. The page notes
 * when its camera preview opened (`window.previewAt`, from the real getUserMedia's answer).
 */
async function openBundlePage(query, page = 'bundle-page.html') {
  const tab = await browser.newPage();
  await tab.evaluateOnNewDocument(() => {
    const getUserMedia = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = async function (...args) {
      const stream = await getUserMedia.apply(this, args);
      window.previewAt ??= performance.now();
      return stream;
    };
  });
  const scripts = [];
  tab.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.includes('/dist/')) scripts.push(pathname.slice(pathname.indexOf('/dist/')));
  });
  tab.log = [];
  tab.on('pageerror', (error) => tab.log.push(`pageerror: ${error.message}`));
  await tab.goto(`${origin}/${page}?${new URLSearchParams(query)}`, { waitUntil: 'load' });
  tab.scripts = scripts;
  return tab;
}

const chunks = (tab, name) => tab.scripts.filter((path) => path.startsWith(`/dist/min/${name}-`));
/** Chunk paths without rollup's content hash (8 characters of base64url). */
const withoutHashes = (paths) => paths.map((path) => path.replace(/-[\w-]{8}\.js$/u, ''));

/** Waits for the page to fetch the session's chunk; resolves to when it started (page clock), or fails naming what loaded. */
async function sessionChunkStart(tab) {
  try {
    const start = await tab.waitForFunction(
      () =>
        performance.getEntriesByType('resource').find((entry) => entry.name.includes('/min/call-session-'))?.startTime,
      { timeout: 15_000, polling: 100 },
    );
    return await start.jsonValue();
  } catch (error) {
    throw new Error(`no session chunk; fetched: ${tab.scripts.join(', ')}`, { cause: error });
  }
}
const part = (tab, name) =>
  tab.evaluate(async (wanted) => {
    const call = document.querySelector('p2p-call');
    await customElements.whenDefined('p2p-call');
    await call.updateComplete;
    return call.shadowRoot.querySelector(`[part="${wanted}"]`)?.textContent.trim();
  }, name);

test('the entry alone at page load; the lobby brings the session, German its table, a file its chunks, and all work', async () => {
  const room = `chunks-${Date.now()}`;
  const english = await openBundlePage({ room, name: 'Grace' });
  const german = await openBundlePage({ room, name: 'Ada', lang: 'de' });

  // English needs no chunk to show; German needs its table, and shows it from the first render on. The session
  // comes once the lobby's camera preview is up: a person looking at it presses Join seconds later.
  assert.equal(await part(english, 'join-button'), 'Join call');
  assert.equal(await part(german, 'join-button'), 'Anruf beitreten');
  for (const tab of [english, german]) {
    const start = await sessionChunkStart(tab);
    assert.ok(start >= (await tab.evaluate(() => window.previewAt)), 'the session chunk came after the preview');
  }
  assert.deepEqual(withoutHashes(english.scripts), ['/dist/p2p-call.min.js', '/dist/min/call-session']);
  assert.deepEqual(withoutHashes(german.scripts), ['/dist/p2p-call.min.js', '/dist/min/de', '/dist/min/call-session']);

  for (const tab of [english, german]) await tab.evaluate(() => document.querySelector('p2p-call').join());
  await waitForCallState(english, 'connected');
  await waitForCallState(german, 'connected');

  // What a connected link runs (quality sampling, verification, the route check) is one chunk, loaded once connected;
  // its first quality sample shows the indicator on both sides.
  for (const tab of [english, german]) {
    // Polled by time, not by animation frame: the tab behind the other one gets no frames.
    await tab.waitForFunction(() => document.querySelector('p2p-call').shadowRoot.querySelector('[part="quality"]'), {
      timeout: 10_000,
      polling: 100,
    });
    assert.equal(chunks(tab, 'connected-services').length, 1, tab.scripts.join(', '));
  }

  // A 3 MB file from the German page to the English one, through the file-transfer chunk on both sides.
  for (const tab of [english, german]) {
    // The pages' own SHA-256 of the bytes, to compare what was sent with what arrived.
    await tab.evaluate(() => {
      window.sha256 = async (data) =>
        Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', data)), (byte) =>
          byte.toString(16).padStart(2, '0'),
        ).join('');
    });
  }
  const received = english.evaluate(
    () =>
      new Promise((resolve) =>
        document.querySelector('p2p-call').addEventListener(
          'p2p-file-received',
          async ({ detail }) =>
            resolve({
              name: detail.name,
              size: detail.size,
              sha256: await window.sha256(await detail.file.arrayBuffer()),
            }),
          { once: true },
        ),
      ),
  );
  const sent = await german.evaluate(async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 123);
    for (let offset = 0; offset < bytes.length; offset += 65_536)
      crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
    const result = await document.querySelector('p2p-call').sendFile(new File([bytes], 'report.bin'));
    return { status: result.status, size: bytes.length, sha256: await window.sha256(bytes) };
  });
  assert.equal(sent.status, 'delivered');
  assert.deepEqual(await received, { name: 'report.bin', size: sent.size, sha256: sent.sha256 });
  for (const tab of [english, german]) {
    assert.equal(chunks(tab, 'file-transfers').length, 1, tab.scripts.join(', '));
    assert.equal(chunks(tab, 'panels').length, 1, tab.scripts.join(', ')); // the file rows
  }
  assert.match(await part(english, 'file'), /report\.bin/u);
  assert.match(await part(german, 'file'), /report\.bin/u);
  assert.deepEqual([...english.log, ...german.log], []);
  await english.close();
  await german.close();
});

test('each language is a chunk of its own, fetched only by a page in that language', async () => {
  // A regional tag as pages write it, the chunk it needs, and the Join button as its table says it.
  const pages = [
    ['es-MX', 'es', 'Unirse a la llamada'],
    ['fr-CA', 'fr', 'Rejoindre l’appel'],
    ['pt-PT', 'pt-br', 'Entrar na chamada'],
    ['ja-JP', 'ja', '通話に参加'],
    ['hi-IN', 'hi', 'कॉल में शामिल हों'],
    ['zh-TW', undefined, 'Join call'], // Traditional Chinese: English, not the Simplified table
  ];
  for (const [lang, chunk, join] of pages) {
    // Without the lobby nothing else is fetched: no preview, so no sign of a call yet.
    const tab = await openBundlePage({ room: `language-${Date.now()}`, lang, lobby: 'off' });
    assert.equal(await part(tab, 'join-button'), join, lang);
    assert.equal(tab.scripts[0], '/dist/p2p-call.min.js');
    const loaded = tab.scripts.slice(1);
    assert.ok(
      chunk ? loaded.length === 1 && loaded[0].startsWith(`/dist/min/${chunk}-`) : loaded.length === 0,
      `${lang}: ${loaded}`,
    );
    assert.deepEqual(tab.log, []);
    await tab.close();
  }
});

test('a blocked camera fetches the problem screen, in the page language', async () => {
  const tab = await openBundlePage({ room: `blocked-${Date.now()}`, lang: 'de' }, 'bundle-blocked.html');
  const frame = tab.frames().find((candidate) => candidate.url().includes('bundle-page.html'));
  const title = await frame.waitForFunction(
    () => document.querySelector('p2p-call')?.shadowRoot?.querySelector('[part="problem"] h3')?.textContent,
    { timeout: 30_000, polling: 100 },
  );
  assert.equal(await title.jsonValue(), 'Kamera und Mikrofon sind blockiert');
  assert.equal(chunks(tab, 'media-problem').length, 1, tab.scripts.join(', '));
  assert.equal(chunks(tab, 'panels').length, 0);
  await tab.close();
});

test('a copy on another origin (a CDN) loads its chunks from there', async () => {
  const bundle = `${cdn.origin}/p2p-call@0.1.0/dist/p2p-call.min.js`;
  const tab = await openBundlePage({ room: `cdn-${Date.now()}`, lang: 'zh-CN', bundle });
  assert.equal(await part(tab, 'join-button'), '加入通话');
  assert.equal(chunks(tab, 'zh').length, 1, tab.scripts.join(', '));
  const fetched = await tab.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  assert.ok(
    fetched.some((url) => url.startsWith(`${cdn.origin}/p2p-call@0.1.0/dist/min/zh-`)),
    fetched.join(', '),
  );
  await sessionChunkStart(tab); // the lobby's preview asks for the session, from the CDN as well
  assert.equal(chunks(tab, 'call-session').length, 1, tab.scripts.join(', '));
  assert.deepEqual(tab.log, []);
  await tab.close();
});

test('without a lobby, the session chunk waits for a sign of a call: a pointer over the element fetches it', async () => {
  const tab = await openBundlePage({ room: `pointer-${Date.now()}`, lobby: 'off' });
  assert.equal(await part(tab, 'join-button'), 'Join call');
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(tab.scripts, ['/dist/p2p-call.min.js']);
  await tab.bringToFront();
  await tab.hover('p2p-call');
  await sessionChunkStart(tab);
  assert.equal(await tab.evaluate(() => document.querySelector('p2p-call').state), 'idle');
  await tab.evaluate(() => document.querySelector('p2p-call').join());
  await waitForCallState(tab, 'waiting');
  assert.equal(chunks(tab, 'call-session').length, 1, tab.scripts.join(', '));
  assert.deepEqual(tab.log, []);
  await tab.close();
});

test('a session chunk that cannot be fetched is the typed error load-failed; join() again fetches it', async () => {
  const tab = await openBundlePage({ room: `offline-${Date.now()}`, lobby: 'off' });
  assert.equal(await part(tab, 'join-button'), 'Join call');
  failSessionChunk = true;
  try {
    const failure = await tab.evaluate(async () => {
      const call = document.querySelector('p2p-call');
      const states = [];
      call.addEventListener('p2p-state-change', (event) => states.push(event.detail));
      const error = new Promise((resolve) => call.addEventListener('p2p-error', (event) => resolve(event.detail)));
      await call.join();
      const { code, recoverable } = await error;
      return { code, recoverable, states, state: call.state };
    });
    assert.deepEqual(failure, {
      code: 'load-failed',
      recoverable: false,
      states: [
        { state: 'joining', previous: 'idle' },
        { state: 'error', previous: 'joining' },
      ],
      state: 'error',
    });
  } finally {
    failSessionChunk = false;
  }
  await tab.evaluate(() => document.querySelector('p2p-call').join());
  await waitForCallState(tab, 'waiting');
  assert.deepEqual(tab.log, []);
  await tab.close();
});
