// A real TURN server on loopback for the browser tests and the bench: Debian's coturn (/usr/bin/turnserver), its
// own temporary directory, stopped (and cleaned up) by close(). Loopback peers are allowed because both browsers'
// relayed addresses are on 127.0.0.1 (a production configuration denies them, see docs/server.md); nothing else is.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.mjs';

export const TURNSERVER = process.env.TURNSERVER ?? '/usr/bin/turnserver';

/**
 * The flags every coturn of the project runs with: no DTLS, CLI or multicast peers, fingerprints on, and its pid file
 * and user database in `dir` (its own temporary directory), never in /var.
 */
export function coturnHousekeeping(dir) {
  return [
    '--no-dtls',
    '--no-cli',
    '--no-multicast-peers',
    '--fingerprint',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
  ];
}

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
    await sleep(50);
  }
  throw new Error(`turnserver did not listen on ${port} within ${timeoutMs} ms`);
}

/**
 * Starts coturn on 127.0.0.1 and a free port, relaying from the ports `relayPorts` ([min, max]; each user of this
 * module keeps its own range so two of them can run at once). `auth` are the credential arguments (a static secret
 * or users); `extra` any further flags. Resolves to { port, close() }.
 */
export async function startCoturn({ purpose, relayPorts: [minPort, maxPort], realm, auth, extra = [] }) {
  if (!existsSync(TURNSERVER))
    throw new Error(`${purpose} needs coturn: apt-get install coturn (looked for ${TURNSERVER})`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'p2p-call-coturn-'));
  const args = [
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${maxPort}`,
    ...auth,
    `--realm=${realm}`,
    '--allow-loopback-peers',
    '--no-tls',
    ...coturnHousekeeping(dir),
    '--no-stdout-log',
    '--log-file=/dev/null',
    ...extra,
  ];
  const child = spawn(TURNSERVER, args, { stdio: 'ignore' });
  try {
    await untilListening(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(2000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
