// Interop: a real call between headless Chromium and Firefox ESR (another WebRTC stack: SDP, ICE, DTLS, SCTP and
// codecs all differ), each side a <p2p-call> from the built script-tag bundle, through our signaling server on
// 127.0.0.1 in open mode, with explicit empty ICE servers. Asserts behaviour only; timings are printed, never
// asserted. The whole run is bounded: after DEADLINE_MS it fails saying which step stalled, and both browsers and
// the server are shut down on every path.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { startSignalingServer, silentLogger } from '../../dist/server/index.js';
import { CHROME_ARGS, findChrome } from '../../scripts/find-chrome.mjs';
import { FIREFOX_PREFS, findFirefox } from '../../scripts/find-firefox.mjs';

const DEADLINE_MS = 120_000;
const STEP_TIMEOUT_MS = 30_000;
const FILE_BYTES = Number(process.env.INTEROP_FILE_MIB ?? 5) * 1024 * 1024;
const FRAMES = 10;
const fromRoot = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The same xorshift32 bytes the page generates: the test knows the file's SHA-256 without trusting either side. */
function expectedSha256(size) {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return createHash('sha256').update(bytes).digest('hex');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves `promise`, or rejects after `ms` with `what` (so nothing here can wait forever). */
function within(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Polls `read` in the page until `done(value)`; returns the value. Fails with the last value seen. */
async function waitInPage(side, read, done, what, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await side.page.evaluate(read);
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `${side.name}: timed out after ${timeoutMs} ms waiting for ${what}; last seen ${JSON.stringify(value)}`,
      );
    }
    await sleep(50);
  }
}

async function shutDown(browser) {
  if (!browser) return;
  const process = browser.process();
  try {
    await within(browser.close(), 10_000, 'browser.close()');
  } catch {
    // fall through to the kill
  }
  if (process && process.exitCode === null && process.signalCode === null) process.kill('SIGKILL');
}

test(
  'a call between headless Chromium and Firefox ESR through our signaling server',
  { timeout: DEADLINE_MS + 30_000 },
  async (t) => {
    const log = (line) => t.diagnostic(line);
    let server;
    let chromium;
    let firefox;
    const launches = [];
    let step = 'starting';
    const started = Date.now();
    const mark = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

    const scenario = async () => {
      step = 'starting the signaling server';
      server = await startSignalingServer({
        port: 0,
        host: '127.0.0.1',
        open: true,
        log: silentLogger,
        staticMounts: { '/': fromRoot('test/interop/page'), '/dist/': fromRoot('dist') },
      });
      const origin = `http://127.0.0.1:${server.port}`;

      step = 'launching both browsers';
      const launchStart = Date.now();
      // Each browser is kept as soon as it exists, so a deadline hit mid-launch still shuts it down.
      launches.push(
        puppeteer
          .launch({ executablePath: findChrome(), headless: true, args: CHROME_ARGS, protocolTimeout: 60_000 })
          .then((browser) => (chromium = browser)),
        puppeteer
          .launch({
            browser: 'firefox',
            executablePath: findFirefox(),
            headless: true,
            extraPrefsFirefox: FIREFOX_PREFS,
            protocolTimeout: 60_000,
          })
          .then((browser) => (firefox = browser)),
      );
      await Promise.all(launches);
      log(
        `browsers: ${await chromium.version()} and ${await firefox.version()}, launched in ${Date.now() - launchStart} ms`,
      );

      const open = async (browser, name) => {
        const page = await browser.newPage();
        const problems = [];
        page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
        });
        await page.goto(`${origin}/`, { waitUntil: 'load' });
        await page.waitForFunction(() => window.interopReady === true && customElements.get('p2p-call') !== undefined, {
          timeout: STEP_TIMEOUT_MS,
        });
        return { name, page, problems };
      };
      step = 'opening the test page in both browsers';
      const sides = await Promise.all([open(chromium, 'chromium'), open(firefox, 'firefox')]);
      const [chrome, fox] = sides;

      step = 'joining the room';
      const room = `interop-${Date.now().toString(36)}`;
      const joinStart = Date.now();
      await Promise.all(
        sides.map((side) =>
          side.page.evaluate((options) => window.interop.join(options), {
            signaling: server.url,
            room,
            name: side.name,
          }),
        ),
      );

      step = 'waiting for both sides to reach connected';
      const states = await Promise.all(
        sides.map((side) =>
          waitInPage(
            side,
            () => window.interop.snapshot().state,
            (state) => state === 'connected' || state === 'error',
            '"connected"',
          ),
        ),
      );
      const bothConnectedMs = Date.now() - joinStart;
      for (const [i, side] of sides.entries()) {
        assert.equal(
          states[i],
          'connected',
          `${side.name} ended in "${states[i]}": ${JSON.stringify(await side.page.evaluate(() => window.interop.record.errors))}`,
        );
      }
      const [chromeSnap, foxSnap] = await Promise.all(
        sides.map((side) => side.page.evaluate(() => window.interop.snapshot())),
      );
      assert.equal(chromeSnap.remotePeer?.name, 'firefox', 'Chromium sees Firefox as its peer');
      assert.equal(foxSnap.remotePeer?.name, 'chromium', 'Firefox sees Chromium as its peer');
      const offerer = chromeSnap.remotePeer.id < foxSnap.remotePeer.id ? 'firefox' : 'chromium'; // the smaller id offers
      log(`both connected ${bothConnectedMs} ms after join() (${mark()} into the run); ${offerer} made the offer`);

      step = 'counting remote video frames on both sides';
      const frames = await Promise.all(
        sides.map((side) =>
          side.page.evaluate((count, timeout) => window.interop.countFrames(count, timeout), FRAMES, STEP_TIMEOUT_MS),
        ),
      );
      for (const [i, side] of sides.entries()) {
        const run = frames[i];
        assert.equal(run.frames.length, FRAMES, `${side.name}: remote frames presented`);
        assert.ok(
          run.videoWidth > 0 && run.videoHeight > 0,
          `${side.name}: remote video has a size (${run.videoWidth}x${run.videoHeight})`,
        );
        assert.ok(
          run.endTime > run.startTime,
          `${side.name}: remote video currentTime advances (${run.startTime} -> ${run.endTime})`,
        );
        // Each callback is a newly presented frame. (Firefox reports mediaTime 0 for every frame of a WebRTC stream,
        // so the frame counter is the portable check.)
        const counters = run.frames.map((frame) => frame.presentedFrames);
        assert.ok(
          counters.every((count, j) => j === 0 || count > counters[j - 1]),
          `${side.name}: each callback is a new frame (presentedFrames rises): ${counters.join(', ')}`,
        );
      }
      for (const side of sides) {
        const snap = await side.page.evaluate(() => window.interop.snapshot());
        const kinds = snap.remoteTracks
          .filter((track) => track.readyState === 'live')
          .map((track) => track.kind)
          .sort();
        assert.deepEqual(kinds, ['audio', 'video'], `${side.name}: the remote stream has live audio and video`);
      }
      const timings = await Promise.all(sides.map((side) => side.page.evaluate(() => window.interop.record.timings)));
      for (const [i, side] of sides.entries()) {
        const { connected, remoteStream, firstFrame } = timings[i];
        log(
          `${side.name}: connected ${connected} ms, remote stream ${remoteStream} ms, first remote frame ${firstFrame} ms after its join(); ` +
            `remote video ${frames[i].videoWidth}x${frames[i].videoHeight}, ${FRAMES} frames in ${frames[i].elapsedMs} ms`,
        );
      }

      step = 'app data both ways';
      const token = Math.random().toString(36).slice(2);
      await chrome.page.evaluate((value) => window.interop.send(value), {
        from: 'chromium',
        token,
        list: [1, 'two', null],
      });
      await fox.page.evaluate((value) => window.interop.send(value), { from: 'firefox', token, nested: { ok: true } });
      const binary = { chromium: [0, 1, 2, 127, 128, 254, 255], firefox: [255, 0, 42, 7] };
      await chrome.page.evaluate((bytes) => window.interop.sendBinary(bytes), binary.chromium);
      await fox.page.evaluate((bytes) => window.interop.sendBinary(bytes), binary.firefox);
      const gotOnFox = await waitInPage(
        fox,
        () => window.interop.record.data,
        (data) => data.length >= 2,
        'two messages from Chromium',
      );
      const gotOnChrome = await waitInPage(
        chrome,
        () => window.interop.record.data,
        (data) => data.length >= 2,
        'two messages from Firefox',
      );
      assert.deepEqual(gotOnFox, [
        { kind: 'json', value: { from: 'chromium', token, list: [1, 'two', null] } },
        { kind: 'binary', bytes: binary.chromium },
      ]);
      assert.deepEqual(gotOnChrome, [
        { kind: 'json', value: { from: 'firefox', token, nested: { ok: true } } },
        { kind: 'binary', bytes: binary.firefox },
      ]);
      log('app data: JSON and binary arrived intact both ways');

      step = 'comparing verification codes';
      const verification = await Promise.all(
        sides.map((side) =>
          waitInPage(
            side,
            () => ({
              code: window.interop.snapshot().verificationCode,
              event: window.interop.record.verification ?? null,
            }),
            (value) => value.code !== null && value.event !== null,
            'a verification code',
          ),
        ),
      );
      const [chromeCode, foxCode] = verification;
      assert.match(chromeCode.code, /^\d{3} \d{3}$/u);
      assert.equal(foxCode.code, chromeCode.code, 'both sides show the same verification code');
      assert.equal(chromeCode.event.code, chromeCode.code);
      assert.equal(foxCode.event.code, foxCode.code);
      // Each side computed it from the same two certificates: its own, and the one the other side says it has.
      assert.ok(
        chromeCode.event.fingerprints.local.length > 0 && foxCode.event.fingerprints.local.length > 0,
        'fingerprints were parsed',
      );
      assert.deepEqual(chromeCode.event.fingerprints.remote, foxCode.event.fingerprints.local);
      assert.deepEqual(foxCode.event.fingerprints.remote, chromeCode.event.fingerprints.local);
      log(
        `verification code ${chromeCode.code} on both sides (fingerprints: chromium ${chromeCode.event.fingerprints.local.join(' ')}; firefox ${foxCode.event.fingerprints.local.join(' ')})`,
      );

      step = `sending a ${FILE_BYTES / 1024 / 1024} MiB file from Firefox to Chromium`;
      const expected = expectedSha256(FILE_BYTES);
      const sent = await fox.page.evaluate(
        (size) => window.interop.sendGeneratedFile(size, 'from-firefox.bin'),
        FILE_BYTES,
      );
      assert.equal(sent.result.status, 'delivered', `sendFile result: ${JSON.stringify(sent.result)}`);
      assert.equal(sent.sha256, expected, 'Firefox generated the expected bytes');
      const [received] = await waitInPage(
        chrome,
        () => window.interop.record.filesReceived,
        (files) => files.length > 0,
        'p2p-file-received',
      );
      assert.equal(received.name, 'from-firefox.bin');
      assert.equal(received.size, FILE_BYTES);
      assert.equal(received.blobSize, FILE_BYTES);
      assert.ok(received.isBlob, 'the received file is a Blob');
      assert.equal(received.sha256, expected, 'the SHA-256 Chromium reports');
      assert.equal(received.computedSha256, expected, 'the SHA-256 of the bytes Chromium holds');
      const chromeRecord = await chrome.page.evaluate(() => window.interop.record);
      const foxRecord = await fox.page.evaluate(() => window.interop.record);
      assert.deepEqual(
        chromeRecord.fileOffers.map(({ name, size }) => ({ name, size })),
        [{ name: 'from-firefox.bin', size: FILE_BYTES }],
      );
      assert.equal(foxRecord.filesSent.length, 1);
      assert.equal(foxRecord.filesSent[0].sha256, expected, 'Firefox got the delivery confirmation for the same bytes');
      assert.equal(chromeRecord.fileProgress.receive.at(-1), FILE_BYTES, 'receive progress reaches the size');
      assert.equal(foxRecord.fileProgress.send.at(-1), FILE_BYTES, 'send progress reaches the size');
      assert.deepEqual(chromeRecord.fileCancels, []);
      assert.deepEqual(foxRecord.fileCancels, []);
      log(
        `file: ${FILE_BYTES} bytes Firefox -> Chromium in ${sent.elapsedMs} ms (${(FILE_BYTES / 1024 / 1024 / (sent.elapsedMs / 1000)).toFixed(1)} MiB/s), SHA-256 matches`,
      );

      step = 'checking the call is still up and nothing went wrong';
      for (const [side, record] of [
        [chrome, chromeRecord],
        [fox, foxRecord],
      ]) {
        assert.equal(
          await side.page.evaluate(() => window.interop.snapshot().state),
          'connected',
          `${side.name} still connected`,
        );
        assert.deepEqual(record.errors, [], `${side.name}: no p2p-error`);
        assert.deepEqual(side.problems, [], `${side.name}: no page errors`);
        assert.ok(record.route, `${side.name}: a p2p-route was reported`);
        assert.equal(record.route.route, 'direct', `${side.name}: direct route (no ICE servers)`);
      }
      log(
        `route: chromium ${chromeRecord.route.local} -> ${chromeRecord.route.remote}, firefox ${foxRecord.route.local} -> ${foxRecord.route.remote}`,
      );

      step = 'leaving';
      await Promise.all(sides.map((side) => side.page.evaluate(() => window.interop.leave())));
    };

    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`interop test gave up after ${DEADLINE_MS / 1000} s while ${step}`)),
        DEADLINE_MS,
      );
    });
    try {
      await Promise.race([scenario(), deadline]);
      log(`whole run ${mark()}`);
    } catch (error) {
      error.message = `[${step}] ${error.message}`;
      throw error;
    } finally {
      clearTimeout(timer);
      await Promise.allSettled(launches.map((launch) => within(launch, 30_000, 'a browser launch')));
      await Promise.all([shutDown(chromium), shutDown(firefox)]);
      await within(server?.close() ?? Promise.resolve(), 10_000, 'server.close()').catch(() => {});
    }
  },
);
