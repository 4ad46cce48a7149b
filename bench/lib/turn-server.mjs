// A real TURN server for the bench's impaired calls: Debian's coturn on loopback, long-term credentials, one static
// user per call side (the relay-only ICE policy sends every packet of both peers through it). Its relay ports come
// from a range of their own, apart from the one the browser tests' coturn uses.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TURNSERVER = process.env.TURNSERVER ?? '/usr/bin/turnserver';
export const TURN_USERS = { a: 'bench-a', b: 'bench-b' };
export const TURN_PASSWORD = 'bench';
const REALM = 'bench.p2p-call.test';

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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

/** Starts coturn; resolves to { port, close() }. */
export async function startTurnServer() {
  if (!existsSync(TURNSERVER))
    throw new Error(`the network metric needs coturn: apt-get install coturn (looked for ${TURNSERVER})`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'p2p-call-bench-turn-'));
  // Loopback only; loopback peers must be allowed here because both browsers' relayed addresses are on 127.0.0.1.
  const args = [
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    '--min-port=50160',
    '--max-port=50460',
    '--lt-cred-mech',
    ...Object.values(TURN_USERS).map((user) => `--user=${user}:${TURN_PASSWORD}`),
    `--realm=${REALM}`,
    '--allow-loopback-peers',
    '--no-tls',
    '--no-dtls',
    '--no-tcp-relay',
    '--no-cli',
    '--no-multicast-peers',
    '--fingerprint',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
    '--no-stdout-log',
    '--log-file=/dev/null',
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

/** The ICE servers one call side uses: the relay's port for that side, that side's user. */
export const iceServersFor = (side, relayPort) => [
  { urls: `turn:127.0.0.1:${relayPort}?transport=udp`, username: TURN_USERS[side], credential: TURN_PASSWORD },
];
