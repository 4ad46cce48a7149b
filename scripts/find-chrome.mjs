// Finds a system Chrome/Chromium for the tests: CHROME_PATH, then the usual paths; where none exists and Debian's
// apt-get is usable as root, installs Debian's `chromium`; otherwise stops with one line saying how to get one.
// Nothing here downloads a browser build of its own.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CANDIDATES = [
  '/usr/lib/chromium/chromium', // Debian's real binary (the /usr/bin wrapper prints noise)
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findChrome({ install = true } = {}) {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH=${fromEnv} is not an executable file.`);
  }
  const found = CANDIDATES.find(isExecutable);
  if (found) return found;
  const canApt = process.platform === 'linux' && process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get');
  if (install && canApt) {
    process.stderr.write('No Chrome/Chromium found: installing Debian chromium with apt-get...\n');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    const installed = CANDIDATES.find(isExecutable);
    if (installed) return installed;
  }
  throw new Error('No Chrome or Chromium found: install one (Debian: apt-get install chromium) or set CHROME_PATH.');
}

/** Flags for headless, root, offline, fake camera and microphone (see shared/TOOLCHAIN.md). */
export const CHROME_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // Nothing may write much to the browser's stderr: the test runner does not drain that pipe, and once it is full
  // the browser stalls (tests die with "browser disconnected"). WebRTC logs a line per closed data channel (fatal
  // messages only, then), and ALSA prints ~8 lines each time a page plays audio on a machine without a sound card
  // (audio output goes to a fake sink instead; the calls' audio still flows and is checked as tracks).
  '--log-level=3',
  '--disable-audio-output',
  '--mute-audio',
  // No GPU here: keep Chromium from starting a GPU process that probes Vulkan for video decoding; after a few
  // dozen video elements in one page that probe was seen to take the whole headless browser down.
  '--disable-software-rasterizer',
  // When the GPU process dies a few times Chromium exits on purpose ("GPU process isn't usable. Goodbye."),
  // taking every test page with it. Without a GPU there is nothing to lose by letting it restart instead.
  '--disable-gpu-process-crash-limit',
  '--disable-accelerated-video-decode',
  '--disable-accelerated-video-encode',
  '--disable-accelerated-2d-canvas',
  '--disable-gpu-compositing',
  '--disable-features=Vulkan,VaapiVideoDecoder,VaapiVideoEncoder,SkiaGraphite,WebGPUService',
  // Keep timers and media running in background tabs: two calls share one headless browser.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(findChrome());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
