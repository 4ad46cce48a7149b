// Takes the screenshots in this folder: the demo (two tabs joined over WebSocket and over BroadcastChannel; a call
// in which one tab shares a canvas, sends a 30 MB file and chats) and every story of the built Storybook. Run from
// the repo root after `npm run build` and `npm run build-storybook`:
//   node docs/screenshots/capture.mjs [demo] [share] [storybook] [states]
// `states` shoots the element itself (Embedding stories) in each state, light and dark: states-<state>-<theme>.png
// (the lobby in each language, light only).
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
  // Like every other shot of a tab: a background tab paints no frames, and its screenshot can wait forever.
  await b.bringToFront();
  await sleep(600);
  await b.screenshot({ path: join(outDir, `${prefix}-b-after-a-left.png`) });
  console.log(prefix, 'states after leave', await stateOf(a), await stateOf(b), errors.length ? errors : '');
  await a.close();
  await b.close();
}

/** Waits until the built-in aux (shared screen) video of `element` shows frames. */
const waitForAuxFrames = (frame, index = 0, timeout = 20000) =>
  frame.waitForFunction(
    (i) => {
      const video = document.querySelectorAll('p2p-call')[i]?.shadowRoot?.querySelector('video.aux-video');
      return video && video.videoWidth > 0 && video.currentTime > 0.3;
    },
    { timeout, polling: 200 },
    index,
  );

/**
 * Starts an animated whiteboard on a canvas in the page and shares it with shareStream(): getDisplayMedia needs a
 * person to pick a screen, a canvas stream does not.
 */
const shareWhiteboard = (page) =>
  page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const ctx = canvas.getContext('2d');
    const started = performance.now();
    const paint = () => {
      const t = (performance.now() - started) / 1000;
      ctx.fillStyle = '#fbfaf5';
      ctx.fillRect(0, 0, 1280, 720);
      ctx.strokeStyle = '#e4e1d6';
      ctx.lineWidth = 1;
      for (let x = 0; x < 1280; x += 40) ctx.strokeRect(x, 0, 40, 720);
      for (let y = 0; y < 720; y += 40) ctx.strokeRect(0, y, 1280, 40);
      ctx.fillStyle = '#1f2937';
      ctx.font = '600 44px system-ui, sans-serif';
      ctx.fillText('Q3 launch plan: whiteboard', 60, 90);
      ctx.font = '28px system-ui, sans-serif';
      ['1. Beta to 200 users', '2. Pricing page review', '3. Support rota'].forEach((line, i) =>
        ctx.fillText(line, 80, 170 + i * 50),
      );
      // Boxes and arrows of a little flow, and a pen that keeps drawing a wave.
      const boxes = [
        [700, 150, 'Sign-up'],
        [980, 150, 'Trial'],
        [840, 330, 'Paid'],
      ];
      ctx.lineWidth = 4;
      ctx.strokeStyle = '#2563eb';
      for (const [x, y, label] of boxes) {
        ctx.strokeRect(x, y, 200, 90);
        ctx.fillText(label, x + 40, y + 56);
      }
      ctx.beginPath();
      ctx.moveTo(900, 195);
      ctx.lineTo(980, 195);
      ctx.moveTo(1080, 240);
      ctx.lineTo(1000, 330);
      ctx.stroke();
      ctx.strokeStyle = '#dc2626';
      ctx.beginPath();
      const end = 80 + ((t * 220) % 1120);
      for (let x = 80; x < end; x += 4) {
        const y = 580 + Math.sin(x / 60 + t) * 50;
        if (x === 80) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
      ctx.fillStyle = '#dc2626';
      ctx.beginPath();
      ctx.arc(end, 580 + Math.sin(end / 60 + t) * 50, 9, 0, Math.PI * 2);
      ctx.fill();
    };
    paint();
    setInterval(paint, 1000 / 30);
    document.querySelector('p2p-call').shareStream(canvas.captureStream(30));
  });

/** The transfer rows an element shows: name, status text, progress value/max, whether a Save link is there. */
const transferRows = (page) =>
  page.$eval('p2p-call', (el) =>
    [...(el.shadowRoot?.querySelectorAll('[part="file"]') ?? [])].map((row) => ({
      name: row.querySelector('.file-name')?.textContent.trim(),
      status: row.querySelector('.file-status')?.textContent.trim(),
      progress: row.querySelector('progress')
        ? row.querySelector('progress').value / row.querySelector('progress').max
        : null,
      save: Boolean(row.querySelector('[part="file-download"]')),
    })),
  );

/** Screenshots of both tabs at (nearly) the same moment: a file transfer does not wait for one to be taken. */
const shootBoth = (a, b, name) =>
  Promise.all([
    a.screenshot({ path: join(outDir, `${name}-a.png`) }),
    b.screenshot({ path: join(outDir, `${name}-b.png`) }),
  ]);

/** A WebSocket demo call in which tab A shares a canvas, then sends a 30 MB file, then both chat. */
async function demoShareFilesChat(browser, origin) {
  const url = `${origin}/?room=screenshot-share`;
  const a = await browser.newPage();
  const b = await browser.newPage();
  for (const p of [a, b]) {
    await p.setViewport({ width: 1280, height: 860 });
    p.on('pageerror', (e) => console.log('share page error:', String(e)));
  }
  await a.goto(url);
  await a.type('#name', 'Ada');
  await b.goto(url);
  await b.type('#name', 'Grace');
  await clickJoin(a);
  await a.waitForFunction(() => document.querySelector('p2p-call').getAttribute('state') === 'waiting');
  await clickJoin(b);
  await waitForRemoteFrames(a);
  await waitForRemoteFrames(b);

  // 1. A shares a canvas; B shows it large.
  await shareWhiteboard(a);
  await waitForAuxFrames(b);
  await sleep(800);
  await a.bringToFront();
  await sleep(500);
  await a.screenshot({ path: join(outDir, 'demo-share-a.png') });
  await b.bringToFront();
  await sleep(500);
  await b.screenshot({ path: join(outDir, 'demo-share-b.png') });
  console.log(
    'share: B aux',
    await b.$eval('p2p-call', (el) => {
      const v = el.shadowRoot.querySelector('video.aux-video');
      return `${v.videoWidth}x${v.videoHeight} t=${v.currentTime.toFixed(1)}`;
    }),
  );
  await a.evaluate(() => document.querySelector('p2p-call').stopSharing());
  await b.waitForFunction(() => !document.querySelector('p2p-call').remoteShareStream, { timeout: 10000 });
  await sleep(500);

  // 2. A sends a generated 30 MB "PDF"; both sides mid-way, then both finished.
  await a.evaluate(() => {
    const size = 30 * 1024 * 1024;
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size; offset += 65536) {
      crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
    }
    bytes.set(new TextEncoder().encode('%PDF-1.7\n'));
    const file = new Blob([bytes], { type: 'application/pdf' });
    window.sendResult = document.querySelector('p2p-call').sendFile(file, 'quarterly-report.pdf');
  });
  await b.waitForFunction(
    () => {
      const progress = document.querySelector('p2p-call').shadowRoot.querySelector('[part="file"] progress');
      return progress && progress.value / progress.max >= 0.3;
    },
    { timeout: 30000, polling: 20 },
  );
  await shootBoth(a, b, 'demo-file-midway');
  console.log('file mid-way: A', await transferRows(a), 'B', await transferRows(b));
  console.log('file result:', await a.evaluate(() => window.sendResult));
  await b.waitForSelector('p2p-call >>> [part="file-download"]', { timeout: 30000 });
  await sleep(600);
  await shootBoth(a, b, 'demo-file-done');
  console.log('file done: A', await transferRows(a), 'B', await transferRows(b));

  // 3. The chat panel, opened on both sides, with a line from each.
  for (const [page, text] of [
    [a, 'Sent you the report: page 4 has the numbers.'],
    [b, 'Got it, checksum verified. Reading now!'],
  ]) {
    await page.bringToFront();
    const open = await page.waitForSelector('p2p-call >>> [part="chat-button"]');
    if ((await open.evaluate((el) => el.getAttribute('aria-pressed'))) !== 'true') await open.click();
    const input = await page.waitForSelector('p2p-call >>> [part="chat-input"]');
    await input.type(text);
    await input.press('Enter');
    await sleep(300);
  }
  await a.waitForFunction(
    () => document.querySelector('p2p-call').shadowRoot.querySelectorAll('.chat-lines li').length >= 2,
  );
  await sleep(400);
  await a.bringToFront();
  await sleep(400);
  await a.screenshot({ path: join(outDir, 'demo-chat-a.png') });
  await b.bringToFront();
  await sleep(400);
  await b.screenshot({ path: join(outDir, 'demo-chat-b.png') });
  await a.close();
  await b.close();
}

/** What a story needs before its screenshot: calls connected, a share showing, a file sent, chat lines. */
async function prepareStory(frame, id) {
  const connected = () => waitForRemoteFrames(frame, 'p2p-call', 25000);
  if (id.includes('two-people') || id.includes('slotted')) {
    await connected().catch((e) => console.log(id, 'not connected:', e.message));
  } else if (id.includes('share-canvas')) {
    await connected();
    await waitForAuxFrames(frame, 1, 20000);
  } else if (id.includes('send-file')) {
    await connected();
    const button = await frame.waitForSelector('.story-toolbar button:not([disabled])');
    await button.click();
    await frame.waitForSelector('p2p-call >>> [part="file-download"]', { timeout: 30000 });
  } else if (id.includes('chat')) {
    await connected();
    await frame.waitForFunction(
      () =>
        [...document.querySelectorAll('p2p-call')].every(
          (el) => el.shadowRoot.querySelectorAll('.chat-lines li').length >= 2,
        ),
      { timeout: 15000 },
    );
  }
}

/** Resolves when every element's shadow root has `selector` (puppeteer's >>> misses parts set by a binding here). */
const inShadow = (frame, selector, timeout = 20000) =>
  frame.waitForFunction(
    (sel) => {
      const calls = [...document.querySelectorAll('p2p-call')];
      return calls.length > 0 && calls.every((el) => el.shadowRoot?.querySelector(sel));
    },
    { timeout, polling: 200 },
    selector,
  );

/** Each state of the element, from the Embedding stories; `ready` brings the story into the state. */
const STATES = [
  { name: 'lobby', story: 'lobby', ready: (f) => inShadow(f, '[part="camera-select"]') },
  // One lobby per built-in language, light only: the text is what differs.
  ...['de', 'zh-CN', 'es', 'fr', 'pt-BR', 'ja', 'hi'].map((lang) => ({
    name: `lobby-${lang.slice(0, 2)}`,
    story: 'lobby',
    args: `lang:${lang}`,
    themes: ['light'],
    ready: (f) => inShadow(f, '[part="camera-select"]'),
  })),
  { name: 'lobby-narrow', story: 'lobby', width: 320, ready: (f) => inShadow(f, '[part="camera-select"]') },
  { name: 'waiting', story: 'waiting', ready: (f) => f.waitForSelector('p2p-call[state="waiting"]') },
  { name: 'connected', story: 'connected', ready: (f) => waitForRemoteFrames(f, 'p2p-call', 25000) },
  { name: 'side-by-side', story: 'side-by-side', ready: (f) => waitForRemoteFrames(f, 'p2p-call', 25000) },
  {
    name: 'sharing',
    story: 'connected',
    ready: async (f) => {
      await waitForRemoteFrames(f, 'p2p-call', 25000);
      // A real click: getDisplayMedia needs a user gesture (the fake UI then picks a screen).
      await (await f.waitForSelector('p2p-call >>> [part="share-button"]:not([disabled])')).click();
      await waitForAuxFrames(f, 1, 20000);
    },
  },
  { name: 'over-budget', story: 'over-latency-budget', ready: (f) => inShadow(f, '[part="quality-warning"]') },
  {
    name: 'narrow-call',
    story: 'narrow',
    ready: (f) => f.waitForSelector('p2p-call[state="connected"]', { timeout: 25000 }),
  },
  {
    name: 'camera-blocked',
    story: 'blocked-camera',
    ready: async (f) => {
      const inner = await (await f.waitForSelector('iframe')).contentFrame();
      await inner.waitForSelector('p2p-call >>> [part="problem"]', { timeout: 20000 });
    },
  },
  {
    name: 'error',
    story: 'blocked-camera',
    ready: async (f) => {
      const inner = await (await f.waitForSelector('iframe')).contentFrame();
      await (await inner.waitForSelector('p2p-call >>> [part="join-button"]', { timeout: 20000 })).click();
      await inner.waitForSelector('p2p-call[state="error"]', { timeout: 20000 });
    },
  },
];

async function captureStates(browser, origin) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.log('states page error:', String(e)));
  // STATES=lobby,error node docs/screenshots/capture.mjs states: only those.
  const only = process.env.STATES?.split(',');
  for (const state of STATES.filter(({ name }) => !only || only.includes(name))) {
    for (const theme of state.themes ?? ['light', 'dark']) {
      await page.setViewport({ width: state.width ? state.width + 40 : 1240, height: 900 });
      const args = state.args ? `&args=${state.args}` : '';
      await page.goto(`${origin}/iframe.html?id=components-p2p-call-embedding--${state.story}&viewMode=story${args}`, {
        waitUntil: 'load',
      });
      await page.waitForSelector('p2p-call, iframe');
      // The theme is set as a host would, on the element (and a matching page colour around it).
      await page.evaluate((name) => {
        document.body.style.background = name === 'dark' ? '#2a2f36' : '#ffffff';
        for (const call of document.querySelectorAll('p2p-call')) call.setAttribute('theme', name);
        const framed = document.querySelector('iframe');
        framed?.addEventListener('load', () =>
          framed.contentDocument.querySelector('p2p-call')?.setAttribute('theme', name),
        );
        framed?.contentDocument?.querySelector('p2p-call')?.setAttribute('theme', name);
      }, theme);
      try {
        await state.ready(page.mainFrame());
      } catch (error) {
        console.log(state.name, theme, 'not ready:', error.message);
      }
      await sleep(1200);
      const root = (await page.$('#storybook-root > div')) ?? (await page.$('#storybook-root'));
      await root.screenshot({ path: join(outDir, `states-${state.name}-${theme}.png`) });
      console.log('states', state.name, theme);
    }
  }
  await page.close();
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
  if (wants('share')) {
    const server = await startDemoServer();
    cleanups.push(server.stop);
    await demoShareFilesChat(browser, server.origin);
  }
  if (wants('states')) {
    const dir = join(root, 'storybook-static');
    if (!existsSync(dir)) throw new Error('storybook-static/ is missing: run npm run build-storybook first');
    const server = await serveDir(dir);
    cleanups.push(server.stop);
    await captureStates(browser, server.origin);
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
      // A story may hold its element in an iframe of its own (the blocked camera).
      await frame.waitForSelector('p2p-call, iframe');
      await prepareStory(frame, id).catch((e) => console.log(id, 'not ready:', e.message));
      await sleep(1200);
      console.log(id, await stateOf(frame));
      await page.screenshot({ path: join(outDir, `storybook-${id.replace(/^.*?--/, '')}.png`) });
    }
    const docsId = Object.keys(stories).find((key) => stories[key].type === 'docs');
    if (docsId) {
      await page.goto(`${server.origin}/?path=/docs/${docsId}`, { waitUntil: 'load' });
      // The Docs renderer is a large chunk of its own: wait for the page it renders, not a fixed time.
      const docsFrame = await (await page.waitForSelector('#storybook-preview-iframe')).contentFrame();
      await docsFrame.waitForSelector('.sbdocs-content p2p-call', { timeout: 30000 });
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
