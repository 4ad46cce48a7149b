// A real redis-server for the multi-process tests, on a free loopback port, with nothing persisted, and server
// processes (the built bin) pointed at it. Missing redis-server is a failure with instructions, never a skip.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/free-port.mjs';

/** $REDIS_SERVER, else the first redis-server on PATH (Debian puts it in /usr/bin). */
const REDIS_SERVER =
  process.env.REDIS_SERVER ??
  [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']
    .map((dir) => join(dir, 'redis-server'))
    .find((path) => existsSync(path)) ??
  '/usr/bin/redis-server';
export const BIN = fileURLToPath(new URL('../../dist/server/bin.js', import.meta.url));

export { freePort };

/** Starts redis-server; resolves with its URL, a client for inspecting it, and stop(). */
export async function startRedis() {
  if (!existsSync(REDIS_SERVER)) {
    throw new Error(
      `redis-server not found at ${REDIS_SERVER}: the backplane tests need a real Redis. ` +
        'Install it (apt-get install -y redis-server; .ci/run does) or set REDIS_SERVER to its path.',
    );
  }
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    child.stdout.on('data', () => {
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  return {
    url,
    client,
    async stop() {
      client.disconnect();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/**
 * Starts the server bin as its own process; resolves once it logged `listening`. `kill(signal)` resolves with the
 * exit code; stdout lines are kept for log checks.
 */
export async function startNode(env, args = ['--open']) {
  const child = spawn(process.execPath, [BIN, '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const port = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const line of parts) {
        lines.push(line);
        if (JSON.parse(line).event === 'listening') resolve(JSON.parse(line).port);
      }
    });
    exited.then(({ code }) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000).unref();
  });
  return {
    child,
    port,
    lines,
    url: `ws://127.0.0.1:${port}/signal`,
    exited,
    stderr: () => stderr,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
