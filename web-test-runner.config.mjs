import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_ARGS, findChrome } from './scripts/find-chrome.mjs';
import { bundledReact, vueSingleFileComponents } from './test/support/wtr-framework-plugins.mjs';
import { scaleOutServers } from './test/support/scale-out-plugin.mjs';
import { turnRelay } from './test/support/turn-plugin.mjs';
import { bundledPeerLibrary, signalingProcess, signalingServer } from './test/support/wtr-plugins.mjs';

let executablePath;
try {
  executablePath = findChrome();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

export default {
  files: ['test/{harness,signaling,session,element,hosts}/**/*.test.{ts,tsx}'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  // WebRTC calls between pages share two cores: one test file at a time keeps timings sane.
  concurrency: 1,
  concurrentBrowsers: 1,
  // Generous limits: a busy 2-core machine can take many seconds to start a page with camera and WebRTC.
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  // A file takes under a minute; a stalled browser page is cut off after three, and that file fails (no retry).
  testsFinishTimeout: 180_000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: CHROME_ARGS,
        // Drain the browser's stdout/stderr. Without it, Chromium died mid-run whenever WebRTC logged a closed
        // data channel after the launcher stopped reading the pipe ("browser disconnected" in sharing tests);
        // with it, those runs pass every time. The cost is a few log lines in the test output.
        dumpio: true,
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsx: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
    bundledPeerLibrary(),
    bundledReact(),
    vueSingleFileComponents(),
    signalingServer(),
    signalingProcess(),
    scaleOutServers(),
    turnRelay(),
  ],
  testFramework: { config: { timeout: 60_000 } },
  // Every page loads test/support/reportable-failures.ts first: a failed assertion on a MediaStream or an element
  // would otherwise never reach the runner (see that file).
  testRunnerHtml: (testFramework) =>
    `<!DOCTYPE html><html><head></head><body>` +
    `<script type="module" src="/test/support/reportable-failures.ts"></script>` +
    `<script type="module" src="${testFramework}"></script></body></html>`,
};
