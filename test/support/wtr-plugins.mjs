// Test-runner plugins: serve the peer library pre-bundled (the dev server's per-file CommonJS transform cannot serve
// simple-peer's dependencies), and run the real signaling server for the duration of the test run.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../scripts/free-port.mjs';
import { mintJoinToken, startSignalingServer, silentLogger } from '../../dist/server/index.js';

import { SHIMS } from '../../rollup.config.mjs';
const BUNDLED_PEER = '/__deps__/simple-peer.js';

export function bundledPeerLibrary() {
  let bundle;
  return {
    name: 'bundled-peer-library',
    resolveImport({ source }) {
      if (source === '@thaunknown/simple-peer') return BUNDLED_PEER;
    },
    async serve(context) {
      if (context.path !== BUNDLED_PEER) return undefined;
      bundle ??= build({
        entryPoints: ['@thaunknown/simple-peer'],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        alias: SHIMS,
        logLevel: 'silent',
      }).then((result) => result.outputFiles[0].text);
      return { body: await bundle, type: 'js' };
    },
  };
}

/**
 * Starts the real signaling server twice on free loopback ports: in open mode, and in token mode with a secret
 * known only to this process (as a host's backend would hold it). Tests reach them through commands:
 * `signaling-url`, `signaling-stats`, `token-signaling-url`, `mint-token` ({room, participant, ttlSeconds}).
 */
export function signalingServer() {
  let open;
  let guarded;
  const secret = randomBytes(32).toString('base64url');
  return {
    name: 'signaling-server',
    async serverStart() {
      open = await startSignalingServer({ port: 0, host: '127.0.0.1', open: true, log: silentLogger });
      guarded = await startSignalingServer({ port: 0, host: '127.0.0.1', secret, log: silentLogger });
    },
    async serverStop() {
      await Promise.all([open?.close(), guarded?.close()]);
    },
    async executeCommand({ command, payload }) {
      if (command === 'signaling-url') return open.url;
      if (command === 'signaling-stats') return open.stats();
      if (command === 'token-signaling-url') return guarded.url;
      if (command === 'mint-token') return mintJoinToken({ secret, ...payload });
      return undefined;
    },
  };
}

/**
 * The signaling server as a separate process the tests may kill and start again on the same port, the way a crash
 * and a restart look to a browser: `signaling-process-start` (returns its ws:// URL; starts it if it is not running)
 * and `signaling-process-kill` (SIGKILL, resolves when it is gone).
 */
export function signalingProcess() {
  let child;
  let port;
  const kill = async () => {
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = undefined;
  };
  const start = async () => {
    port ??= await freePort();
    if (!child) {
      child = spawn(process.execPath, ['dist/server/bin.js'], {
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', P2P_CALL_OPEN: '1' },
        stdio: 'ignore',
      });
      child.once('exit', () => (child = undefined));
      await untilHealthy(port);
    }
    return `ws://127.0.0.1:${port}/signal`;
  };
  return {
    name: 'signaling-process',
    serverStop: kill,
    async executeCommand({ command }) {
      if (command === 'signaling-process-start') return start();
      if (command === 'signaling-process-kill') return kill().then(() => true);
      return undefined;
    },
  };
}

async function untilHealthy(port, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`signaling server on port ${port} did not become healthy within ${timeoutMs} ms`);
}
