#!/usr/bin/env node
// Main-thread busy time of a running call for several builds side by side, A/B alternating in one browser: the
// render metric's measurement (CDP TaskDuration, 500 ms after the first frames by default) without the rest of the
// bench, for comparing a change against its base on a noisy machine before believing a full run's ratio.
//
//   node bench/render-ab.mjs --rounds 5 base=/tmp/dist-base change=dist
//
// Each NAME=DIR is a built dist/ folder (script-tag bundle, its chunks, and server/ for the page server of the first
// one); the raw pair with the same four tiles runs beside them. Prints each build's median and its rounds.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser, openBenchPage, performanceMetrics } from './lib/browser.mjs';
import { startPageServer } from './lib/page-server.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '5' }, settle: { type: 'string', default: '500' } },
});
const builds = positionals.map((arg) => {
  const [name, dir] = arg.split('=');
  if (!name || !dir) throw new Error(`expected NAME=DIST_DIR, got ${arg}`);
  return { name, dir: resolve(dir) };
});
if (!builds.length) throw new Error('name at least one build: NAME=DIST_DIR');
const { createStaticHandler } = await import(pathToFileURL(`${builds[0].dir}/server/index.js`).href);
const bench = resolve(import.meta.dirname);
const servers = new Map();
for (const { name, dir } of builds) {
  servers.set(name, await startPageServer(createStaticHandler, { '/bench/': bench, '/dist/': dir }));
}
const { browser } = await launchBrowser();
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const runs = [...builds.map(({ name }) => ({ name, impl: 'element' })), { name: 'raw-tiles', impl: 'raw-tiles' }];
const results = new Map(runs.map(({ name }) => [name, []]));
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const { name, impl } of round % 2 ? [...runs].reverse() : runs) {
      const page = await openBenchPage(browser, (servers.get(name) ?? servers.get(builds[0].name)).origin);
      const client = await page.createCDPSession();
      await client.send('Performance.enable', { timeDomain: 'timeTicks' });
      await page.evaluate((args) => window.bench.startCall(args), { impl });
      await sleep(Number(values.settle));
      const before = await performanceMetrics(client);
      await sleep(3000);
      const after = await performanceMetrics(client);
      results
        .get(name)
        .push(((after.TaskDuration - before.TaskDuration) / (after.Timestamp - before.Timestamp)) * 1000);
      await page.evaluate(() => window.bench.stopCall());
      await client.detach();
      await page.close();
    }
  }
} finally {
  await browser.close();
  for (const server of servers.values()) await server.close();
}
for (const [name, values] of results) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${name.padEnd(12)} median ${median.toFixed(1)} ms/s  [${values.map((v) => v.toFixed(1)).join(', ')}]`);
}
