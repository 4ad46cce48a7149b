// The `p2p-call-server` bin as an operator runs it: a real child process, its JSON log on stdout, SIGTERM to stop.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintJoinToken } from '../../dist/server/index.js';
import { BIN, startBin } from './bin-process.mjs';
import { connect } from './helpers.mjs';

const SECRET = 'bin-test-secret-0123456789-abcdefghij';

/** Runs the bin expecting it to exit by itself (a refused configuration). */
async function runToExit(args, env = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code, stderr };
}

describe('p2p-call-server bin', () => {
  it('starts on --port, answers /healthz and signaling, exits cleanly on SIGTERM', async () => {
    const { child, port, lines } = await startBin(['--port', '0', '--open']);
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
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(typeof entry.time, 'string');
      assert.equal(typeof entry.event, 'string');
      assert.ok(!line.includes('127.0.0.1'), `no addresses in the log: ${line}`);
    }
  });

  it('says loudly, in a warn line, that --open runs without tokens', async () => {
    const { child, lines } = await startBin(['--port', '0', '--open']);
    child.kill('SIGTERM');
    await once(child, 'close');
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.event === 'open-mode');
    assert.equal(warning?.level, 'warn', lines.join('\n'));
  });

  it('refuses to start without a secret or --open', async () => {
    const { code, stderr } = await runToExit([]);
    assert.equal(code, 2);
    assert.match(stderr, /Refusing to start.*P2P_CALL_SECRET/s);
  });

  it('refuses to start with a short secret', async () => {
    const { code, stderr } = await runToExit([], { P2P_CALL_SECRET: 'short' });
    assert.equal(code, 2);
    assert.match(stderr, /32 bytes/);
  });

  it('rejects an invalid port with a clear message', async () => {
    const { code, stderr } = await runToExit(['--port', 'eighty', '--open']);
    assert.equal(code, 2);
    assert.match(stderr, /port/i);
  });

  it('runs in token mode from P2P_CALL_SECRET: minted tokens in, everything else 401', async () => {
    const { child, port } = await startBin(['--port', '0'], { P2P_CALL_SECRET: SECRET });
    const url = `ws://127.0.0.1:${port}/signal`;
    await assert.rejects(connect(url), (error) => error.status === 401);
    const token = await mintJoinToken({ secret: SECRET, room: 'bin-token', participant: 'alice' });
    const client = await connect(`${url}?token=${token}`);
    assert.equal((await client.join('bin-token', 'alice')).type, 'joined');
    child.kill('SIGTERM');
    await client.closed;
    await once(child, 'exit');
  });

  it('reads the secret from --secret-file and the allowlist from P2P_CALL_ALLOWED_ORIGINS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'p2p-call-secret-'));
    const file = join(dir, 'secret');
    await writeFile(file, `${SECRET}\n`, { mode: 0o600 });
    const { child, port } = await startBin(['--port', '0', '--secret-file', file], {
      P2P_CALL_ALLOWED_ORIGINS: 'https://ats.example.com, https://crm.example.com',
    });
    const url = `ws://127.0.0.1:${port}/signal?token=${await mintJoinToken({ secret: SECRET, room: 'f', participant: 'p' })}`;
    await assert.rejects(connect(url, { origin: 'https://evil.example.com' }), (error) => error.status === 403);
    const client = await connect(url, { origin: 'https://crm.example.com' });
    child.kill('SIGTERM');
    await client.closed;
    await once(child, 'exit');
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the caps, framing, proxy, token and TURN settings from flags and the environment', async () => {
    const { child, port, lines } = await startBin(
      [
        '--port',
        '0',
        '--open',
        '--max-connections',
        '1',
        '--max-rooms',
        '1',
        '--frame-ancestors',
        "'self',https://ats.example.com",
        '--trust-proxy-from',
        '10.0.0.0/8',
        '--turn-in-open-mode',
      ],
      { TURN_SECRET: 'turn-secret-for-the-bin', TURN_URLS: 'turn:127.0.0.1:3478', TURN_CREDENTIAL_BURST: '1' },
    );
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.match(health.headers.get('content-security-policy'), /frame-ancestors 'self' https:\/\/ats\.example\.com$/);
    assert.ok(
      lines.some((line) => line.includes('"turn-open-mode"')),
      'the TURN warning',
    );
    const url = `ws://127.0.0.1:${port}/signal`;
    const client = await connect(url);
    const joined = await client.join('bin-caps', 'p');
    assert.equal(joined.iceServers.length, 1, 'TURN for a tokenless seat, as opted in');
    await assert.rejects(connect(url), (error) => error.status === 503);
    child.kill('SIGTERM');
    await client.closed;
    await once(child, 'exit');

    const token = await startBin(['--port', '0'], {
      P2P_CALL_SECRET: SECRET,
      P2P_CALL_TOKEN_ISSUER: 'https://ats.example.com',
      P2P_CALL_TOKEN_AUDIENCE: 'signal-eu',
      P2P_CALL_TRUST_PROXY: '127.0.0.1,::1',
    });
    const signal = `ws://127.0.0.1:${token.port}/signal?token=`;
    const options = { secret: SECRET, room: 'bin-iss', participant: 'alice' };
    await assert.rejects(connect(signal + (await mintJoinToken(options))), (error) => error.status === 401);
    const admitted = await connect(
      signal + (await mintJoinToken({ ...options, issuer: 'https://ats.example.com', audience: 'signal-eu' })),
    );
    token.child.kill('SIGTERM');
    await admitted.closed;
    await once(token.child, 'exit');
  });

  it('refuses a proxy list entry that is not an address', async () => {
    const { code, stderr } = await runToExit(['--open', '--trust-proxy-from', 'proxy.example.com']);
    assert.equal(code, 2);
    assert.match(stderr, /proxy\.example\.com/);
  });
});
