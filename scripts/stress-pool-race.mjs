#!/usr/bin/env node
// `node scripts/stress-pool-race.mjs [--trials 200] [--busy 8]`: does an ICE candidate pool leave an answering
// RTCPeerConnection without any candidate? Raw connections only (no p2p-call code), so the answer is Chromium's.
//
// Each trial opens a fresh page, grants the fake camera and microphone (as a call does), and makes one raw pair:
// A offers (its candidates all gathered), then B is built and takes the offer and answers at once. Trials alternate
// between iceCandidatePoolSize 1 and 0 on both connections, so both sizes see the same machine load. A trial is
// stuck when B has no ICE connectivity 3 s later: with a pool that is B gathering forever with no candidate, ICE
// `new` on both sides, the connect stall p2p-call's watchdog exists for (docs/architecture.md, "Connect stall").
//
// Why it can happen: with a pool, the answerer's pooled allocator session is dropped when the answer is applied and
// a second one starts. Chromium's per-connection network filter (the IP-permission check that decides whether local
// addresses may be used) can then swallow the only network-list update that second session would get, when the
// permission answer arrives between the session's start and that update. Idle connections with pools (--busy N,
// default 8) keep the page's WebRTC network thread busy at that moment, as a loaded machine does, which widens the
// window; with --busy 0 the stall is far rarer. --chromium-log FILE writes Chromium's own log of each connection's
// allocator sessions there ("Start getting ports": a session started; "Network manager has started": it got the
// network list), with a line naming each trial; writing that log also slows the network thread, and makes the stall
// more frequent. Launches a browser: run it under browser-lock on shared machines.
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from './find-chrome.mjs';

const { values: options } = parseArgs({
  options: {
    trials: { type: 'string', default: '200' },
    busy: { type: 'string', default: '8' },
    'chromium-log': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  console.log('Usage: node scripts/stress-pool-race.mjs [--trials 200] [--busy 8] [--chromium-log FILE]');
  process.exit(0);
}
const trials = Number(options.trials);
const busy = Number(options.busy);
const PAGES_PER_BROWSER = 40; // a fresh browser now and then: hundreds of pages in one grow its memory

/** One trial in the page: resolves to what B reached within 3 s. */
async function trial({ pool, busy, sleepMs, holdMs }) {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const config = { iceServers: [], bundlePolicy: 'max-bundle', iceCandidatePoolSize: pool };
  const build = () => {
    const connection = new RTCPeerConnection(config);
    for (const track of stream.getTracks()) connection.addTrack(track, stream);
    connection.createDataChannel('main', { negotiated: true, id: 0 });
    return connection;
  };
  const a = build();
  const gathered = new Promise((resolve) => {
    a.addEventListener('icegatheringstatechange', () => a.iceGatheringState === 'complete' && resolve());
  });
  await a.setLocalDescription();
  await gathered;
  const b = build();
  const idle = Array.from({ length: busy }, () => new RTCPeerConnection({ iceServers: [], iceCandidatePoolSize: 4 }));
  let candidates = 0;
  b.addEventListener('icecandidate', (event) => {
    if (!event.candidate?.candidate) return;
    candidates++;
    void a.addIceCandidate(event.candidate).catch(() => {});
  });
  await new Promise((resolve) => setTimeout(resolve, sleepMs));
  // Offer (with all of A's candidates) and answer queued in one task, then the page's main thread held a moment:
  // both shift when the permission answer (which passes through the main thread) lands against the answer.
  const applied = Promise.all([b.setRemoteDescription(a.localDescription), b.setLocalDescription()]);
  const until = performance.now() + holdMs;
  while (performance.now() < until);
  await applied;
  await a.setRemoteDescription(b.localDescription);
  const up = () => b.iceConnectionState === 'connected' || b.iceConnectionState === 'completed';
  await new Promise((resolve) => {
    if (up()) resolve();
    b.addEventListener('iceconnectionstatechange', () => up() && resolve());
    setTimeout(resolve, 3000);
  });
  const result = {
    stuck: !up(),
    candidates,
    gathering: b.iceGatheringState,
    ice: `${a.iceConnectionState}/${b.iceConnectionState}`,
  };
  for (const connection of [a, b, ...idle]) connection.close();
  for (const track of stream.getTracks()) track.stop();
  return result;
}

const server = createServer((_request, response) =>
  response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>pool race</title>'),
);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const log = options['chromium-log'] ? createWriteStream(options['chromium-log']) : undefined;
const LOG_ARGS = [
  '--enable-logging=stderr',
  '--vmodule=filtering_network_manager=1,ipc_network_manager=1,*/webrtc/p2p/client/*=1',
];
async function launch() {
  const browser = await puppeteer.launch({
    executablePath: findChrome(),
    headless: true,
    args: [...CHROME_ARGS, ...(log ? LOG_ARGS : [])],
  });
  browser.process()?.stderr?.on('data', (chunk) => log?.write(chunk));
  return browser;
}
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const loadBefore = loadAverage();
const counts = { 0: { trials: 0, stuck: 0 }, 1: { trials: 0, stuck: 0 } };
let browser = await launch();
try {
  for (let index = 0; index < trials; index++) {
    if (index > 0 && index % PAGES_PER_BROWSER === 0) {
      await browser.close();
      browser = await launch();
    }
    const pool = index % 2 === 0 ? 1 : 0;
    const page = await browser.newPage();
    log?.write(`=== trial ${index} pool ${pool}\n`);
    try {
      await page.goto(origin);
      const [sleepMs, holdMs] = [Math.random() * 10, Math.random() * 10].map(Math.round);
      const result = await page.evaluate(trial, { pool, busy, sleepMs, holdMs });
      counts[pool].trials++;
      if (result.stuck) {
        counts[pool].stuck++;
        console.log(`trial ${index} (pool ${pool}): stuck`, JSON.stringify(result));
      }
    } catch (error) {
      console.log(`trial ${index} (pool ${pool}): not run (${error.message.split('\n')[0]})`);
    } finally {
      await page.close().catch(() => {});
    }
    if ((index + 1) % 20 === 0) process.stderr.write(`  ${index + 1}/${trials}\n`);
  }
} finally {
  await browser.close().catch(() => {});
  server.close();
  log?.end();
}
console.log(`load average before ${loadBefore}, after ${loadAverage()} (${os.cpus().length} cores)`);
for (const pool of [1, 0]) {
  console.log(`iceCandidatePoolSize ${pool}: ${counts[pool].stuck} of ${counts[pool].trials} answerers stuck`);
}
