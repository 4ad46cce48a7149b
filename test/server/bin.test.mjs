// The `p2p-call-server` bin as an operator runs it: a real child process, its JSON log on stdout, SIGTERM to stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { connect } from './helpers.mjs';

const BIN = fileURLToPath(new URL('../../dist/server/bin.js', import.meta.url));

/** Starts the bin; resolves once it logged `listening`, with the child, its port and all stdout lines so far. */
export async function startBin(args = [], env = {}) {
  const child = spawn(process.execPath, [BIN, '--host', '127.0.0.1', ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const port = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const line of parts) {
        lines.push(line);
        const entry = JSON.parse(line);
        if (entry.event === 'listening') resolve(entry.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`bin exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`bin did not start: ${stderr}`)), 5000).unref();
  });
  return { child, port, lines, stderr: () => stderr };
}

describe('p2p-call-server bin', () => {
  it('starts on --port, answers /healthz and signaling, exits cleanly on SIGTERM', async () => {
    const { child, port, lines } = await startBin(['--port', '0']);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const client = await connect(`ws://127.0.0.1:${port}/signal`);
    assert.equal((await client.join('bin-room', 'p')).type, 'joined');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const closed = await client.closed;
    assert.equal(closed.code, 1001);
    const [code] = await exited;
    assert.equal(code, 0);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `log lines are JSON: ${line}`);
  });

  it('rejects an invalid port with a clear message', async () => {
    const child = spawn(process.execPath, [BIN, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /port/i);
  });
});
