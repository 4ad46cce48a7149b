// Test-runner plugin for the relay test: a real coturn (Debian `coturn`, /usr/bin/turnserver) on loopback with
// `use-auth-secret`, and a signaling server that mints its REST-API credentials for every joined participant (the
// elements join without tokens, so it runs open with TURN for tokenless seats switched on explicitly).
// Started on first use only. Command: `turn-signaling-url` -> ws:// URL of that signaling server.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSignalingServer, silentLogger } from '../../dist/server/index.js';
import { freePort } from './free-port.mjs';

const TURNSERVER = process.env.TURNSERVER ?? '/usr/bin/turnserver';


/** Resolves once coturn accepts TCP connections on its port (it listens on TCP and UDP alike). */
async function untilListening(port, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with code ${child.exitCode}`);
    const open = await new Promise((resolve) => {
      const probe = connect(port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(true);
      });
      probe.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`turnserver did not listen on ${port} within ${timeoutMs} ms`);
}

export function turnRelay() {
  let started;
  const start = async () => {
    const secret = randomBytes(32).toString('base64url');
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'p2p-call-coturn-'));
    // Loopback only. The relay must reach the browsers' loopback addresses, so loopback peers are allowed here (a
    // production config denies them, see docs/server.md); nothing else is.
    const args = [
      '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
      '--min-port=49160', '--max-port=49460', '--use-auth-secret', `--static-auth-secret=${secret}`,
      '--realm=p2p-call.test', '--allow-loopback-peers', '--no-tls', '--no-dtls', '--no-cli', '--no-multicast-peers',
      '--fingerprint', '--no-stun-backward-compatibility', `--pidfile=${join(dir, 'turnserver.pid')}`,
      `--userdb=${join(dir, 'turndb')}`, '--log-file=stdout', '--simple-log',
    ];
    if (!existsSync(TURNSERVER)) {
      throw new Error(`coturn is needed for the relay test: apt-get install coturn (looked for ${TURNSERVER})`);
    }
    const child = spawn(TURNSERVER, args, { stdio: 'ignore' });
    await untilListening(port, child);
    const signaling = await startSignalingServer({
      port: 0,
      host: '127.0.0.1',
      open: true,
      log: silentLogger,
      turnSecret: secret,
      turnUrls: [`turn:127.0.0.1:${port}?transport=udp`],
      turnTtlSeconds: 600,
      turnInOpenMode: true,
    });
    return {
      url: signaling.url,
      async close() {
        await signaling.close();
        child.kill('SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
  return {
    name: 'turn-relay',
    async serverStop() {
      await (await started)?.close();
    },
    async executeCommand({ command }) {
      if (command !== 'turn-signaling-url') return undefined;
      started ??= start();
      return (await started).url;
    },
  };
}
