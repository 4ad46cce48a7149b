#!/usr/bin/env node
// `npm run stress:connect -- --count 100 --signaling broadcast|ws [--pages one|two]`: many fresh first connects,
// with a full timeline of every connect slower than --slow-ms (2 s by default).
//
// Each connect opens fresh pages in one headless Chromium: `--pages one` (default) runs the bench's own connect
// (bench/pages/bench.js: two <p2p-call> elements in one page, fake camera streams handed in as localStream);
// `--pages two` puts each element in a page of its own. Signaling is BroadcastChannel or the project's server
// (dist/server, started here on a free port). Every page records, from before its first script runs, each WebRTC
// call and event and each signaling frame (scripts/stress/page-timeline.js).
//
// Connect time is the bench's: from the later of the two `waiting` states (both in the room) to both `connected`.
// The stall watchdog's firings are counted from the `p2p-reconnecting` events with reason `ice-stalled` (each one is
// a link the watchdog replaced); other reconnects are counted by reason too.
// Results go to --out (default $TMPDIR/stress-connect): one line per connect in connects.jsonl (pooled by --label
// across invocations) and timeline-*.txt for each slow connect. Needs a build (npm run build). Launches a browser:
// run it under browser-lock on shared machines, in batches of ~100.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../bench/lib/browser.mjs';
import { startPageServer } from '../bench/lib/page-server.mjs';
import { summarize } from '../bench/lib/stats.mjs';
import { formatTimeline } from './stress/format-timeline.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({
  options: {
    count: { type: 'string', default: '100' },
    signaling: { type: 'string', default: 'broadcast' },
    pages: { type: 'string', default: 'one' },
    'slow-ms': { type: 'string', default: '2000' },
    out: { type: 'string', default: join(os.tmpdir(), 'stress-connect') },
    label: { type: 'string' },
    dist: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help || !['broadcast', 'ws'].includes(options.signaling) || !['one', 'two'].includes(options.pages)) {
  console.log(
    'Usage: node scripts/stress-connect.mjs [--count 100] [--signaling broadcast|ws] [--pages one|two] [--slow-ms 2000] [--out DIR] [--label NAME] [--dist DIR]',
  );
  process.exit(options.help ? 0 : 1);
}
const count = Number(options.count);
const slowMs = Number(options['slow-ms']);
const TIMEOUT_MS = 30_000;
const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim();
const label =
  options.label ??
  (options.dist
    ? `dist ${resolve(options.dist)}`
    : `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', 'src') ? '+dirty' : ''}`);
const outDir = options.out;
mkdirSync(outDir, { recursive: true });
const log = (message) => process.stderr.write(`${message}\n`);
const recorder = readFileSync(new URL('./stress/page-timeline.js', import.meta.url), 'utf8');

// --dist: another build to measure (a copy of dist/ kept from before a change, for an A/B).
const distDir = options.dist ? resolve(options.dist) : join(root, 'dist');
const serverEntry = join(distDir, 'server/index.js');
if (!existsSync(serverEntry) || !existsSync(join(distDir, 'p2p-call.min.js'))) {
  log(`stress-connect: no build in ${distDir} (run npm run build)`);
  process.exit(1);
}
const { startSignalingServer, silentLogger, createStaticHandler } = await import(pathToFileURL(serverEntry).href);

/** A fresh page with the recorder installed ahead of every script; resolves once the bundle defined the element. */
async function openPage(browser, origin, pageLabel) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.problems = problems;
  await page.evaluateOnNewDocument(`window.__timelineLabel = ${JSON.stringify(pageLabel)};\n${recorder}`);
  await page.goto(`${origin}/bench/pages/index.html`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.bench && customElements.get('p2p-call'), { timeout: 15_000, polling: 50 });
  return page;
}

const timelineOf = (page) => page.evaluate(() => window.__timeline.events).catch(() => []);

/** The bench's connect: two elements in one fresh page. */
async function connectInOnePage(browser, origin, signaling) {
  const page = await openPage(browser, origin, '');
  try {
    let ms;
    let error;
    try {
      const result = await page.evaluate((args) => window.bench.connect(args), {
        impl: 'element',
        signaling,
        timeoutMs: TIMEOUT_MS,
      });
      ms = result.connectedMs;
    } catch (failure) {
      error = failure.message.split('\n')[0];
    }
    return { ms, error, events: await timelineOf(page), problems: page.problems };
  } finally {
    await page.close().catch(() => {});
  }
}

/** One element in each of two fresh pages, joined at once. */
async function connectInTwoPages(browser, origin, signaling) {
  const pages = await Promise.all(['A', 'B'].map((pageLabel) => openPage(browser, origin, pageLabel)));
  const room = `stress-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  try {
    await Promise.all(
      pages.map((page) =>
        page.evaluate(
          async ({ room, signaling }) => {
            const stream = await navigator.mediaDevices.getUserMedia({
              audio: true,
              video: { width: { ideal: 1280 }, height: { ideal: 720 } },
            });
            const element = document.createElement('p2p-call');
            element.room = room;
            element.signaling = signaling;
            element.setAttribute('ice-servers', '[]');
            element.localStream = stream;
            const video = document.createElement('video');
            Object.assign(video, { muted: true, autoplay: true, playsInline: true, slot: 'remote' });
            element.append(video);
            document.getElementById('stage').append(element);
            const at = {};
            const stamp = () => performance.timeOrigin + performance.now();
            element.addEventListener('p2p-state-change', (event) => (at[event.detail.state] ??= stamp()));
            window.stress = { element, stream, at };
            window.stress.connected = new Promise((resolve) => {
              const check = () => element.state === 'connected' && resolve();
              element.addEventListener('p2p-state-change', check);
            });
          },
          { room, signaling },
        ),
      ),
    );
    await Promise.all(pages.map((page) => page.evaluate(() => void window.stress.element.join())));
    let error;
    const done = await Promise.race([
      Promise.all(pages.map((page) => page.evaluate(() => window.stress.connected.then(() => true)))),
      new Promise((resolve) => setTimeout(() => resolve(false), TIMEOUT_MS)),
    ]);
    const at = await Promise.all(pages.map((page) => page.evaluate(() => window.stress.at)));
    if (!done) error = `timed out after ${TIMEOUT_MS} ms (states ${at.map((a) => Object.keys(a).at(-1)).join('/')})`;
    const ms = done ? Math.max(...at.map((a) => a.connected)) - Math.max(...at.map((a) => a.waiting)) : undefined;
    const events = (await Promise.all(pages.map(timelineOf))).flat().sort((a, b) => a.t - b.t);
    await Promise.all(
      pages.map((page) =>
        page
          .evaluate(() => {
            window.stress.element.leave();
            for (const track of window.stress.stream.getTracks()) track.stop();
          })
          .catch(() => {}),
      ),
    );
    return { ms, error, events, problems: pages.flatMap((page) => page.problems) };
  } finally {
    await Promise.all(pages.map((page) => page.close().catch(() => {})));
  }
}

const server = await startSignalingServer({ port: 0, host: '127.0.0.1', open: true, log: silentLogger });
const pageServer = await startPageServer(createStaticHandler, {
  '/bench/': join(root, 'bench'),
  '/dist/': distDir,
});
const { browser, version } = await launchBrowser();
const signaling = options.signaling === 'ws' ? server.url : 'broadcast';
const connect = options.pages === 'two' ? connectInTwoPages : connectInOnePage;
const loadBefore = os.loadavg();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const rows = [];
log(`stress-connect: ${count} connects, ${options.signaling}, ${options.pages} page(s), ${version}, label ${label}`);
try {
  for (let index = 1; index <= count; index++) {
    const result = await connect(browser, pageServer.origin, signaling);
    const reasons = result.events
      .filter((event) => event.what === 'reconnecting')
      .map((event) => event.detail?.reason ?? 'unknown');
    const watchdog = reasons.filter((reason) => reason === 'ice-stalled').length;
    const row = {
      label,
      signaling: options.signaling,
      pages: options.pages,
      ms: result.ms,
      error: result.error,
      watchdog,
      reconnects: reasons,
      load: os.loadavg()[0],
    };
    rows.push(row);
    appendFileSync(join(outDir, 'connects.jsonl'), `${JSON.stringify(row)}\n`);
    const slow = result.error || reasons.length > 0 || !(result.ms <= slowMs);
    if (slow) {
      const file = join(outDir, `timeline-${options.signaling}-${options.pages}-${stamp}-${index}.txt`);
      const fired = watchdog ? ` (stall watchdog fired ${watchdog}x)` : '';
      const header = `connect ${index}: ${result.error ?? `${result.ms.toFixed(0)} ms`}${fired}; reconnects: ${reasons.join(', ') || 'none'}`;
      writeFileSync(file, `${header}\n${result.problems.join('\n')}\n${formatTimeline(result.events)}\n`);
      log(`  ${header} -> ${file}`);
    } else if (index % 10 === 0) {
      log(`  ${index}/${count} (last ${result.ms.toFixed(0)} ms)`);
    }
  }
} finally {
  await browser.close().catch(() => {});
  await server.close().catch(() => {});
  await pageServer.close().catch(() => {});
}

const report = (title, set) => {
  const times = set.filter((row) => row.ms !== undefined).map((row) => row.ms);
  const stats = summarize(times);
  const over = set.filter((row) => row.error || !(row.ms <= slowMs)).length;
  // Rows written before the count existed say only whether the watchdog fired (true/false).
  const firings = set.reduce((sum, row) => sum + Number(row.watchdog ?? 0), 0);
  const reconnects = set.reduce((sum, row) => sum + (row.reconnects?.length ?? 0), 0);
  const fmt = (value) => (value === undefined ? '-' : `${value.toFixed(0)} ms`);
  console.log(
    `${title}: n=${set.length} p50 ${fmt(stats.median)} p95 ${fmt(stats.p95)} p99 ${fmt(stats.p99)} max ${fmt(stats.max)}; ` +
      `over ${slowMs} ms: ${over}; stall watchdog firings: ${firings}; reconnects (any reason): ${reconnects}; ` +
      `failed: ${set.filter((row) => row.error).length}`,
  );
};
const load = (values) => values.map((value) => value.toFixed(1)).join(' ');
console.log(`load average before ${load(loadBefore)}, after ${load(os.loadavg())} (${os.cpus().length} cores)`);
report(`this run (${label}, ${options.signaling}, ${options.pages} page(s))`, rows);
const pooled = readFileSync(join(outDir, 'connects.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line))
  .filter((row) => row.label === label && row.signaling === options.signaling && row.pages === options.pages);
if (pooled.length > rows.length) report(`all runs in ${outDir} with this label`, pooled);
