// Interop: real calls between headless Chromium and Firefox ESR (another WebRTC stack: SDP, ICE, DTLS, SCTP and
// codecs all differ), each side a <p2p-call> from the built script-tag bundle in a page served by our signaling
// server on 127.0.0.1 (open mode), with explicit empty ICE servers.
//
// Two calls, so both browsers play both negotiation roles (the participant with the smaller id makes the offer):
//   1. no join tokens (open mode, random ids: either browser may offer); a file Firefox -> Chromium;
//   2. join tokens minted for chosen ids so that the other browser offers; a file Chromium -> Firefox.
// Each call must reach `connected` on both sides with moving, non-black video both ways, JSON and binary app data
// both ways, and equal verification codes. Timings are printed, never asserted. The whole run is bounded: after
// DEADLINE_MS it fails naming the step that stalled, and both browsers and the server are shut down on every path.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mintJoinToken, silentLogger, startSignalingServer } from '../../dist/server/index.js';
import { launchChromium, launchFirefox, shutDown } from '../support/interop-browsers.mjs';

/** The whole run, browser launches included. INTEROP_DEADLINE_S overrides it (e.g. on a machine known to be slow). */
const DEADLINE_MS = Number(process.env.INTEROP_DEADLINE_S ?? 120) * 1000;
const STEP_TIMEOUT_MS = 30_000;
const MiB = 1024 * 1024;
/** File sizes, call 1 (Firefox -> Chromium) and call 2 (Chromium -> Firefox). INTEROP_FILE_MIB overrides the first. */
const FILE_BYTES = [Number(process.env.INTEROP_FILE_MIB ?? 3) * MiB, 1 * MiB];
const FRAMES = 10;
const fromRoot = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/**
 * The same xorshift32 bytes the page generates: the test knows the file's SHA-256, and its transfer digest (SHA-256
 * over the SHA-256 of each 1 MiB block, see src/session/file-transfer/file-digest.ts), without trusting either side.
 */
function expectedHashes(size) {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  const blocks = [];
  for (let offset = 0; offset < size; offset += MiB)
    blocks.push(
      createHash('sha256')
        .update(bytes.subarray(offset, offset + MiB))
        .digest(),
    );
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    digest: createHash('sha256').update(Buffer.concat(blocks)).digest('hex'),
  };
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

/** Opens the test page (served by our server: the page plus dist/) in one browser. */
async function openPage(browser, name, origin) {
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
}

/**
 * One call between the two pages: join, then everything both sides must see. Returns what it measured.
 * `setStep` names what is running, for the deadline message.
 */
async function checkCall({ sides, signaling, room, tokens = {}, setStep, log, label }) {
  const [chrome, fox] = sides;
  setStep(`${label}: joining room ${room}`);
  const joinStart = Date.now();
  await Promise.all(
    sides.map((side) =>
      side.page.evaluate((options) => window.interop.join(options), {
        signaling,
        room,
        name: side.name,
        token: tokens[side.name],
      }),
    ),
  );

  setStep(`${label}: waiting for both sides to reach connected`);
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
    const errors = await side.page.evaluate(() => window.interop.record.errors);
    assert.equal(states[i], 'connected', `${side.name} ended in "${states[i]}": ${JSON.stringify(errors)}`);
  }
  const [chromeSnap, foxSnap] = await Promise.all(
    sides.map((side) => side.page.evaluate(() => window.interop.snapshot())),
  );
  assert.equal(chromeSnap.remotePeer?.name, 'firefox', 'Chromium sees Firefox as its peer');
  assert.equal(foxSnap.remotePeer?.name, 'chromium', 'Firefox sees Chromium as its peer');
  // The smaller participant id makes the offer (CallSession#handlePeerJoined).
  const offerer = foxSnap.remotePeer.id < chromeSnap.remotePeer.id ? 'chromium' : 'firefox';
  log(`${label}: both connected ${bothConnectedMs} ms after join(); ${offerer} made the offer`);

  setStep(`${label}: counting remote video frames on both sides`);
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
  // The pictures are the other browser's fake camera, not black frames: both fakes are bright and animated.
  for (const side of sides) {
    const samples = [];
    for (let k = 0; k < 4; k += 1) {
      if (k > 0) await sleep(250);
      samples.push(await side.page.evaluate(() => window.interop.frameSample()));
    }
    const seen = JSON.stringify(samples);
    assert.ok(
      Math.max(...samples.map((sample) => sample.luma)) > 20,
      `${side.name}: the remote picture is not black: ${seen}`,
    );
    assert.ok(
      new Set(samples.map((sample) => sample.checksum)).size > 1,
      `${side.name}: the remote picture moves: ${seen}`,
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
      `${label}: ${side.name}: connected ${connected} ms, remote stream ${remoteStream} ms, first remote frame ` +
        `${firstFrame} ms after its join(); remote video ${frames[i].videoWidth}x${frames[i].videoHeight}, ` +
        `${FRAMES} frames in ${frames[i].elapsedMs} ms`,
    );
  }

  setStep(`${label}: app data both ways`);
  const nonce = Math.random().toString(36).slice(2);
  const json = {
    chromium: { from: 'chromium', nonce, list: [1, 'two', null] },
    firefox: { from: 'firefox', nonce, nested: { ok: true } },
  };
  const binary = { chromium: [0, 1, 2, 127, 128, 254, 255], firefox: [255, 0, 42, 7] };
  for (const side of sides) {
    await side.page.evaluate((value) => window.interop.send(value), json[side.name]);
    await side.page.evaluate((bytes) => window.interop.sendBinary(bytes), binary[side.name]);
  }
  for (const [side, other] of [
    [chrome, fox],
    [fox, chrome],
  ]) {
    const got = await waitInPage(
      side,
      () => window.interop.record.data,
      (data) => data.length >= 2,
      `two messages from ${other.name}`,
    );
    assert.deepEqual(
      got,
      [
        { kind: 'json', value: json[other.name] },
        { kind: 'binary', bytes: binary[other.name] },
      ],
      `${side.name}: app data from ${other.name} (binary as an ArrayBuffer)`,
    );
  }
  log(`${label}: app data: JSON and binary arrived intact both ways`);

  setStep(`${label}: comparing verification codes`);
  const [chromeCode, foxCode] = await Promise.all(
    sides.map((side) =>
      waitInPage(
        side,
        () => ({ code: window.interop.snapshot().verificationCode, event: window.interop.record.verification ?? null }),
        (value) => value.code !== null && value.event !== null,
        'a verification code',
      ),
    ),
  );
  assert.match(chromeCode.code, /^\d{3} \d{3}$/u);
  assert.equal(foxCode.code, chromeCode.code, 'both sides show the same verification code');
  assert.equal(chromeCode.event.code, chromeCode.code);
  assert.equal(foxCode.event.code, foxCode.code);
  // Each side computed it from the same two certificates: its own, and the one the other side says it has.
  assert.ok(chromeCode.event.fingerprints.local.length > 0, 'Chromium parsed its own fingerprint');
  assert.ok(foxCode.event.fingerprints.local.length > 0, 'Firefox parsed its own fingerprint');
  assert.deepEqual(chromeCode.event.fingerprints.remote, foxCode.event.fingerprints.local);
  assert.deepEqual(foxCode.event.fingerprints.remote, chromeCode.event.fingerprints.local);
  log(
    `${label}: verification code ${chromeCode.code} on both sides (chromium ${chromeCode.event.fingerprints.local.join(' ')}; ` +
      `firefox ${foxCode.event.fingerprints.local.join(' ')})`,
  );

  return { offerer, bothConnectedMs, timings: Object.fromEntries(sides.map((side, i) => [side.name, timings[i]])) };
}

/** Sends a generated file from one page to the other and checks every byte arrived (SHA-256 known to the test). */
async function checkFile({ from, to, size, setStep, log, label }) {
  const name = `from-${from.name}.bin`;
  setStep(`${label}: sending a ${size / MiB} MiB file ${from.name} -> ${to.name}`);
  const { sha256: expected, digest: expectedDigest } = expectedHashes(size);
  const sent = await from.page.evaluate(
    (bytes, fileName) => window.interop.sendGeneratedFile(bytes, fileName),
    size,
    name,
  );
  assert.equal(sent.result.status, 'delivered', `sendFile result: ${JSON.stringify(sent.result)}`);
  assert.equal(sent.sha256, expected, `${from.name} generated the expected bytes`);
  const [received] = await waitInPage(
    to,
    () => window.interop.record.filesReceived,
    (files) => files.length > 0,
    'p2p-file-received',
  );
  assert.equal(received.name, name);
  assert.equal(received.size, size);
  assert.ok(received.isBlob, 'the received file is a Blob');
  assert.equal(received.blobSize, size);
  assert.equal(received.digest, expectedDigest, `the transfer digest ${to.name} reports`);
  assert.equal(received.computedSha256, expected, `the SHA-256 of the bytes ${to.name} holds`);
  const [sender, receiver] = await Promise.all(
    [from, to].map((side) => side.page.evaluate(() => window.interop.record)),
  );
  assert.deepEqual(
    receiver.fileOffers.map((offer) => ({ name: offer.name, size: offer.size })),
    [{ name, size }],
  );
  assert.equal(sender.filesSent.length, 1);
  assert.equal(
    sender.filesSent[0].digest,
    expectedDigest,
    `${from.name} got the delivery confirmation for the same bytes`,
  );
  assert.equal(receiver.fileProgress.receive.at(-1), size, 'receive progress reaches the size');
  assert.equal(sender.fileProgress.send.at(-1), size, 'send progress reaches the size');
  assert.deepEqual(sender.fileCancels, []);
  assert.deepEqual(receiver.fileCancels, []);
  // Where the time went, on the machine's one clock (Date.now() in both pages): offer delivered, first and last
  // chunk queued by the sender, last chunk received, file verified and delivered, sender told.
  const t0 = sent.wall;
  const at = (wall) => (wall === undefined ? '?' : `${wall - t0}`);
  const [sendAt, receiveAt] = [sender.fileProgressAt.send, receiver.fileProgressAt.receive];
  const chunksMs = receiveAt.at(-1) - sendAt[0];
  const rate = (ms) => (size / MiB / (ms / 1000)).toFixed(2);
  log(
    `${label}: file ${size / MiB} MiB ${from.name} -> ${to.name}: ${sent.elapsedMs} ms end to end (${rate(sent.elapsedMs)} MiB/s); ` +
      `offer received +${at(receiver.fileOffers[0]?.wall)} ms, first chunk sent +${at(sendAt[0])}, last sent +${at(sendAt.at(-1))}, ` +
      `last received +${at(receiveAt.at(-1))} (chunks ${rate(chunksMs)} MiB/s), verified +${at(received.wall)}, ` +
      `sender confirmed +${at(sender.filesSent[0]?.wall)}; SHA-256 matches`,
  );
  return { size, elapsedMs: sent.elapsedMs, chunksMs };
}

/** Still connected, no errors, a direct route reported; then both sides leave. */
async function finishCall({ sides, setStep, log, label }) {
  setStep(`${label}: checking the call is still up and nothing went wrong`);
  const routes = [];
  for (const side of sides) {
    const record = await side.page.evaluate(() => window.interop.record);
    assert.equal(
      await side.page.evaluate(() => window.interop.snapshot().state),
      'connected',
      `${side.name} still connected`,
    );
    assert.deepEqual(record.errors, [], `${side.name}: no p2p-error`);
    assert.deepEqual(side.problems, [], `${side.name}: no page errors`);
    assert.ok(record.route, `${side.name}: a p2p-route was reported`);
    assert.equal(record.route.route, 'direct', `${side.name}: direct route (no ICE servers)`);
    routes.push(`${side.name} ${record.route.local} -> ${record.route.remote} (${record.route.protocol})`);
  }
  log(`${label}: route: ${routes.join(', ')}`);
  setStep(`${label}: leaving`);
  const after = await Promise.all(sides.map((side) => side.page.evaluate(() => window.interop.leave())));
  assert.deepEqual(after, ['ended', 'ended'], 'both sides ended the call');
  await Promise.all(sides.map((side) => side.page.close()));
}

/** Logs what each page saw (state, errors, route, file events), for a failure report. Never hangs: 5 s per page. */
async function reportPages(sides, log) {
  for (const side of sides) {
    try {
      const seen = await within(
        side.page.evaluate(() => {
          const { record, snapshot } = window.interop;
          return {
            now: snapshot(),
            states: record.states,
            errors: record.errors,
            route: record.route,
            fileCancels: record.fileCancels,
            lastProgress: { send: record.fileProgress.send.at(-1), receive: record.fileProgress.receive.at(-1) },
          };
        }),
        5_000,
        'reading the page',
      );
      log(`${side.name} at failure: ${JSON.stringify(seen)}; page problems: ${JSON.stringify(side.problems)}`);
    } catch (error) {
      log(`${side.name} at failure: could not read the page (${error.message})`);
    }
  }
}

test(
  'calls between headless Chromium and Firefox ESR through our signaling server',
  { timeout: DEADLINE_MS + 30_000 },
  async (t) => {
    const log = (line) => t.diagnostic(line);
    let server;
    let chromium;
    let firefox;
    const launches = [];
    let step = 'starting';
    /** The pages of the call in progress: what they saw goes into the report if the run fails. */
    let openSides = [];
    const setStep = (name) => (step = name);
    const started = Date.now();

    const scenario = async () => {
      setStep('starting the signaling server');
      // Open mode (no token needed), plus a secret so that call 2 can join with tokens for chosen participant ids.
      const secret = randomBytes(32).toString('base64url');
      server = await startSignalingServer({
        port: 0,
        host: '127.0.0.1',
        open: true,
        secret,
        log: silentLogger,
        staticMounts: { '/': fromRoot('test/interop/page'), '/dist/': fromRoot('dist') },
        // The recorder page keeps its script and a style attribute inline, which the default page policy forbids.
        contentSecurityPolicy:
          "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
      });
      const origin = `http://127.0.0.1:${server.port}`;

      setStep('launching both browsers');
      const launchStart = Date.now();
      // Each browser is kept as soon as it exists, so a deadline hit mid-launch still shuts it down.
      launches.push(
        launchChromium().then((browser) => (chromium = browser)),
        launchFirefox().then((browser) => (firefox = browser)),
      );
      await Promise.all(launches);
      log(
        `browsers: ${await chromium.version()} and ${await firefox.version()}, launched in ${Date.now() - launchStart} ms`,
      );

      // Call 1: open mode, random participant ids.
      setStep('call 1: opening the test page in both browsers');
      let sides = await Promise.all([openPage(chromium, 'chromium', origin), openPage(firefox, 'firefox', origin)]);
      openSides = sides;
      const room1 = `interop-1-${Date.now().toString(36)}`;
      const context1 = { sides, setStep, log, label: 'call 1' };
      const call1 = await checkCall({ ...context1, signaling: server.url, room: room1 });
      const file1 = await checkFile({ ...context1, from: sides[1], to: sides[0], size: FILE_BYTES[0] });
      await finishCall(context1);

      // Call 2: the browser that answered in call 1 now offers (it gets the smaller participant id).
      setStep('call 2: opening the test page in both browsers');
      sides = await Promise.all([openPage(chromium, 'chromium', origin), openPage(firefox, 'firefox', origin)]);
      openSides = sides;
      const room2 = `interop-2-${Date.now().toString(36)}`;
      const offerer2 = call1.offerer === 'chromium' ? 'firefox' : 'chromium';
      const tokens = {};
      for (const side of sides) {
        const participant = `${side.name === offerer2 ? 'a' : 'b'}-${side.name}`;
        tokens[side.name] = await mintJoinToken({ secret, room: room2, participant, ttlSeconds: 300 });
      }
      const context2 = { sides, setStep, log, label: 'call 2' };
      const call2 = await checkCall({ ...context2, signaling: server.url, room: room2, tokens });
      assert.equal(call2.offerer, offerer2, 'call 2 swapped the negotiation roles');
      const file2 = await checkFile({ ...context2, from: sides[0], to: sides[1], size: FILE_BYTES[1] });
      await finishCall(context2);

      log(
        `summary: ${call1.offerer} offered then ${call2.offerer} offered; both connected after ${call1.bothConnectedMs} / ` +
          `${call2.bothConnectedMs} ms; first remote frame chromium ${call1.timings.chromium.firstFrame} / ` +
          `${call2.timings.chromium.firstFrame} ms, firefox ${call1.timings.firefox.firstFrame} / ${call2.timings.firefox.firstFrame} ms; ` +
          `files ${file1.size / MiB} MiB firefox->chromium ${file1.elapsedMs} ms, ${file2.size / MiB} MiB chromium->firefox ${file2.elapsedMs} ms`,
      );
    };

    let timer;
    const deadline = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the interop test gave up after ${DEADLINE_MS / 1000} s`)),
        DEADLINE_MS,
      );
    });
    try {
      await Promise.race([scenario(), deadline]);
      log(`whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      error.message = `[${step}] ${error.message}`;
      await reportPages(openSides, log);
      throw error;
    } finally {
      clearTimeout(timer);
      await Promise.allSettled(launches.map((launch) => within(launch, 30_000, 'a browser launch')));
      await Promise.all([shutDown(chromium), shutDown(firefox)]);
      await within(server?.close() ?? Promise.resolve(), 10_000, 'server.close()').catch(() => {});
    }
  },
);
