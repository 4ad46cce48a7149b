// Sound the browser refuses to play. Firefox ESR with audible autoplay blocked (`media.autoplay.default: 1`, what a
// person sets for all sites or gets for one) receives a call from Chromium; each side is a <p2p-call> from the built
// script-tag bundle in test/interop/page/sound.html, served by our signaling server on 127.0.0.1.
//
// Firefox lets a page play sound once the person has acted on it, or while the page captures camera or microphone,
// so the Firefox side joins receive-only (a stream with no track), and the test never runs a script in its page
// (WebDriver BiDi evaluates with user activation): the page reports what it sees as console lines, and the only
// things that act on it are mouse clicks, which Firefox treats as the person's.
//   1. joined with no gesture: the other person's video plays muted, with the "Enable sound" button over it; a click
//      on the button turns the sound on (the video unmuted and still playing) and the button goes;
//   2. joined by a click on the Join button: the video plays with sound at once, and no button shows.
// Chromium cannot stand in for Firefox here: it lets a MediaStream play with sound without any gesture.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { silentLogger, startSignalingServer } from '../../dist/server/index.js';
import { launchChromium, launchFirefox, shutDown } from '../support/interop-browsers.mjs';

const STEP_TIMEOUT_MS = 30_000;
const fromRoot = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let server;
let chromium;
let firefox;

before(
  async () => {
    server = await startSignalingServer({
      port: 0,
      host: '127.0.0.1',
      open: true,
      log: silentLogger,
      staticMounts: { '/': fromRoot('test/interop/page'), '/dist/': fromRoot('dist') },
      // The page keeps its script inline, which the default page policy forbids.
      contentSecurityPolicy:
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    });
    // Each browser is kept as soon as it exists, so that `after` closes it even when the other failed to start.
    await Promise.all([
      launchChromium().then((browser) => (chromium = browser)),
      launchFirefox({ 'media.autoplay.default': 1 }).then((browser) => (firefox = browser)),
    ]);
  },
  { timeout: 90_000 },
);

after(async () => {
  await Promise.all([chromium, firefox].map(shutDown));
  await server?.close();
});

/** Half a second of the other person's video played (the page reports currentTime in half seconds). */
const playing = (seen, since = 0) => seen.video !== null && !seen.video.paused && seen.video.time > since;

/** Opens sound.html with `params`; `side.seen` is then always the page's last report (see the page). */
async function openSoundPage(browser, name, params) {
  const page = await browser.newPage();
  const side = {
    name,
    page,
    seen: null,
    problems: [],
    openedAt: Date.now(),
    connectedMs: undefined,
    playingMs: undefined,
  };
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('sound-page ')) {
      side.seen = JSON.parse(text.slice('sound-page '.length));
      if (side.seen.state === 'connected') side.connectedMs ??= Date.now() - side.openedAt;
      if (playing(side.seen)) side.playingMs ??= Date.now() - side.openedAt;
    } else if (message.type() === 'error') side.problems.push(`console.error: ${text}`);
  });
  page.on('pageerror', (error) => side.problems.push(`pageerror: ${error.message}`));
  const query = new URLSearchParams({ signaling: server.url, name, ...params });
  await page.goto(`http://127.0.0.1:${server.port}/sound.html?${query}`, { waitUntil: 'load' });
  return side;
}

/** Waits until the page reports what `done` accepts; fails naming `what` and the last report. */
async function waitFor(side, done, what) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(side.seen && done(side.seen))) {
    if (Date.now() > deadline) {
      throw new Error(
        `${side.name}: timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}; last report ` +
          `${JSON.stringify(side.seen)}; page problems ${JSON.stringify(side.problems)}`,
      );
    }
    await sleep(50);
  }
  return side.seen;
}

/**
 * Chromium calls in and Firefox receives; `run` gets the Firefox side. Both pages are closed afterwards. How soon the
 * Firefox side connected and played is printed, never asserted.
 */
async function withCall(t, firefoxJoin, run) {
  const label = firefoxJoin === 'auto' ? 'sound-blocked' : 'sound-allowed';
  const room = `${label}-${Date.now().toString(36)}`;
  const sides = [];
  try {
    sides.push(await openSoundPage(chromium, 'chromium', { room, send: '1', join: 'auto' }));
    sides.push(await openSoundPage(firefox, 'firefox', { room, join: firefoxJoin }));
    const firefoxSide = sides[1];
    await run(firefoxSide);
    const { connectedMs, playingMs } = firefoxSide;
    t.diagnostic(
      `firefox: connected ${connectedMs} ms, remote video played half a second ${playingMs} ms after its page opened`,
    );
    for (const side of sides) assert.deepEqual(side.problems, [], `${side.name}: no page errors`);
  } finally {
    await Promise.all(sides.map((side) => side.page.close().catch(() => {})));
  }
}

test(
  'sound refused: the remote video plays muted, and the Enable sound button turns the sound on',
  { timeout: 90_000 },
  (t) =>
    withCall(t, 'auto', async (firefoxSide) => {
      const blocked = await waitFor(firefoxSide, playing, 'the remote video to play');
      assert.equal(blocked.state, 'connected');
      assert.equal(blocked.activated, false, 'nothing acted on the page before the click');
      assert.equal(blocked.video.audioTracks, 1, 'the remote stream carries sound');
      assert.equal(blocked.video.muted, true, 'the browser refused the sound: the video plays muted');
      assert.equal(blocked.soundButton?.text, 'Enable sound', 'the element offers the button');

      await firefoxSide.page.mouse.click(blocked.soundButton.at.x, blocked.soundButton.at.y);
      const clickedAt = firefoxSide.seen.video.time;
      const restored = await waitFor(
        firefoxSide,
        (seen) => seen.soundButton === null && seen.video?.muted === false && playing(seen, clickedAt),
        'the sound on, the button gone and the video still playing',
      );
      assert.equal(restored.activated, true, 'the click counted as the person acting');
      assert.equal(restored.state, 'connected');
      assert.deepEqual(restored.errors, []);
    }),
);

test('sound allowed after a click on Join: the remote video plays with sound and no button', { timeout: 90_000 }, (t) =>
  withCall(t, 'click', async (firefoxSide) => {
    const idle = await waitFor(firefoxSide, (seen) => seen.joinButton !== null, 'the Join button');
    assert.equal(idle.activated, false);
    await firefoxSide.page.mouse.click(idle.joinButton.x, idle.joinButton.y);
    const allowed = await waitFor(firefoxSide, playing, 'the remote video to play');
    assert.equal(allowed.state, 'connected');
    assert.equal(allowed.activated, true, 'the click on Join counted as the person acting');
    assert.equal(allowed.video.audioTracks, 1, 'the remote stream carries sound');
    assert.equal(allowed.video.muted, false, 'the video plays with sound');
    assert.equal(allowed.soundButton, null, 'no Enable sound button');
    assert.deepEqual(allowed.errors, []);
  }),
);
