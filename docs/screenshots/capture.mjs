// Takes the screenshots in this folder: the demo (two tabs joined over WebSocket and over BroadcastChannel) and the
// built Storybook's "Two people" story. Run from the repo root after `npm run build` and `npm run build-storybook`:
//   node docs/screenshots/capture.mjs [demo] [storybook]
// Loopback only; headless Chromium with a fake camera and microphone.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const wants = (what) => only.length === 0 || only.includes(what);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

async function startDemoServer() {
  const port = await freePort();
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('p2p-call demo:')) res();
    });
    child.once('exit', (code) => rej(new Error(`npm start exited (${code}): ${out}`)));
  });
  return { origin: `http://localhost:${port}`, stop: () => child.kill('SIGTERM') };
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
async function serveDir(dir) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://localhost:${server.address().port}`, stop: () => server.close() };
}

const stateOf = (page, selector = 'p2p-call') =>
  page.$$eval(selector, (els) => els.map((el) => el.getAttribute('state')));

/** Waits until the built-in remote video of every matching element has decoded frames. */
async function waitForRemoteFrames(frame, selector = 'p2p-call', timeout = 20000) {
  await frame.waitForFunction(
    (sel) =>
      [...document.querySelectorAll(sel)].every((el) => {
        const video = el.shadowRoot?.querySelector('video.remote-video');
        return el.getAttribute('state') === 'connected' && video && video.videoWidth > 0 && video.currentTime > 0.3;
      }),
    { timeout, polling: 200 },
    selector,
  );
}

/** What the built-in remote video is doing: a screenshot alone cannot tell a paused video from a missing one. */
const remoteVideoStatus = (page) =>
  page.$eval('p2p-call', (el) => {
    const v = el.shadowRoot?.querySelector('video.remote-video');
    if (!v) return 'no remote video element';
    const tracks = v.srcObject?.getVideoTracks?.() ?? [];
    return `paused=${v.paused} readyState=${v.readyState} ${v.videoWidth}x${v.videoHeight} t=${v.currentTime.toFixed(1)} track=${tracks.map((t) => `${t.readyState}/muted=${t.muted}`).join(',')}`;
  });

async function clickJoin(page) {
  await page.bringToFront();
  const button = await page.waitForSelector('p2p-call >>> [part="join-button"]');
  await button.click();
}

async function demoPair(browser, url, prefix, { full = true } = {}) {
  const a = await browser.newPage();
  const b = await browser.newPage();
  for (const p of [a, b]) await p.setViewport({ width: 1280, height: 860 });
  const errors = [];
  for (const p of [a, b]) {
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('error', (e) => errors.push(`crash: ${e}`));
    p.on('close', () => console.log('page closed', errors));
  }
  await a.goto(url);
  await a.type('#name', 'Ada');
  await b.goto(url);
  await b.type('#name', 'Grace');
  if (full) await a.screenshot({ path: join(outDir, `${prefix}-idle.png`) });
  await clickJoin(a);
  await a.waitForFunction(() => document.querySelector('p2p-call').getAttribute('state') === 'waiting', {
    timeout: 15000,
  });
  await sleep(800);
  if (full) await a.screenshot({ path: join(outDir, `${prefix}-waiting.png`) });
  await clickJoin(b);
  await waitForRemoteFrames(a);
  await waitForRemoteFrames(b);
  await sleep(500);
  // A tab brought to the front needs a moment to paint its videos again.
  await a.bringToFront();
  await sleep(600);
  await a.screenshot({ path: join(outDir, `${prefix}-connected-a.png`) });
  console.log(prefix, 'A remote video:', await remoteVideoStatus(a));
  await b.bringToFront();
  await sleep(600);
  await b.screenshot({ path: join(outDir, `${prefix}-connected-b.png`) });
  console.log(prefix, 'B remote video:', await remoteVideoStatus(b));
  if (!full) {
    await a.close();
    await b.close();
    return;
  }
  // Mute on A: B should see it.
  await a.bringToFront();
  const mic = await a.waitForSelector('p2p-call >>> [part="mic-button"]');
  await mic.click();
  const cam = await a.waitForSelector('p2p-call >>> [part="camera-button"]');
  await cam.click();
  await sleep(800);
  await a.screenshot({ path: join(outDir, `${prefix}-a-muted-camera-off.png`) });
  await b.bringToFront();
  await sleep(600);
  await b.screenshot({ path: join(outDir, `${prefix}-b-sees-a-muted.png`) });
  // A leaves.
  await a.bringToFront();
  const leave = await a.waitForSelector('p2p-call >>> [part="leave-button"]');
  await leave.click();
  await sleep(1000);
  await a.screenshot({ path: join(outDir, `${prefix}-a-left.png`) });
  await b.screenshot({ path: join(outDir, `${prefix}-b-after-a-left.png`) });
  console.log(prefix, 'states after leave', await stateOf(a), await stateOf(b), errors.length ? errors : '');
  await a.close();
  await b.close();
}

const browser = await puppeteer.launch({
  executablePath: findChrome(),
  headless: true,
  args: CHROME_ARGS,
  dumpio: !!process.env.DUMPIO,
});
const cleanups = [() => browser.close()];
try {
  if (wants('demo')) {
    const server = await startDemoServer();
    cleanups.push(server.stop);
    await demoPair(browser, `${server.origin}/?room=screenshot-ws`, 'demo-ws');
    await demoPair(browser, `${server.origin}/broadcast.html?room=screenshot-bc`, 'demo-broadcast', { full: false });
    const narrow = await browser.newPage();
    await narrow.setViewport({ width: 390, height: 844 });
    await narrow.goto(`${server.origin}/?room=narrow`);
    await narrow.screenshot({ path: join(outDir, 'demo-narrow.png'), fullPage: true });
    await narrow.close();
  }
  if (wants('storybook')) {
    const dir = join(root, 'storybook-static');
    if (!existsSync(dir)) throw new Error('storybook-static/ is missing: run npm run build-storybook first');
    const server = await serveDir(dir);
    cleanups.push(server.stop);
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('pageerror', (e) => console.log('storybook page error:', String(e)));
    const stories = (await (await fetch(`${server.origin}/index.json`)).json()).entries;
    console.log('stories:', Object.keys(stories).join(', '));
    for (const id of Object.keys(stories).filter((key) => stories[key].type === 'story')) {
      await page.goto(`${server.origin}/?path=/story/${id}`, { waitUntil: 'load' });
      const frame = await (await page.waitForSelector('#storybook-preview-iframe')).contentFrame();
      await frame.waitForSelector('p2p-call');
      if (id.includes('two-people')) {
        await waitForRemoteFrames(frame, 'p2p-call', 25000).catch((e) =>
          console.log('two-people not connected:', e.message),
        );
      }
      await sleep(1200);
      console.log(id, await stateOf(frame));
      await page.screenshot({ path: join(outDir, `storybook-${id.replace(/^.*?--/, '')}.png`) });
    }
    const docsId = Object.keys(stories).find((key) => stories[key].type === 'docs');
    if (docsId) {
      await page.goto(`${server.origin}/?path=/docs/${docsId}`, { waitUntil: 'load' });
      await sleep(1500);
      await page.screenshot({ path: join(outDir, 'storybook-docs.png') });
      // The whole Docs page (it scrolls inside the manager's iframe). Lay it out at a tall viewport from the start:
      // resizing afterwards for a fullPage shot leaves the story previews clipped at their first measured height.
      await page.setViewport({ width: 1280, height: 6400 });
      await page.goto(`${server.origin}/iframe.html?viewMode=docs&id=${docsId}`, { waitUntil: 'load' });
      await page.waitForSelector('p2p-call');
      await sleep(1500);
      await page.screenshot({ path: join(outDir, 'storybook-docs-full.png'), fullPage: true });
    }
    await page.close();
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
