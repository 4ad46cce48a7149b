// Test-runner plugins: serve the peer library pre-bundled (the dev server's per-file CommonJS transform cannot serve
// simple-peer's dependencies), and run the real signaling server for the duration of the test run.
import { build } from 'esbuild';
import { startSignalingServer, silentLogger } from '../../dist/server/index.js';

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
 * Starts the real signaling server on a free loopback port. Tests reach it through commands:
 * `executeServerCommand('signaling-url')` and `executeServerCommand('signaling-stats')`.
 */
export function signalingServer() {
  let server;
  return {
    name: 'signaling-server',
    async serverStart() {
      server = await startSignalingServer({ port: 0, host: '127.0.0.1', open: true, log: silentLogger });
    },
    async serverStop() {
      await server?.close();
    },
    async executeCommand({ command }) {
      if (command === 'signaling-url') return server.url;
      if (command === 'signaling-stats') return server.stats();
      return undefined;
    },
  };
}
