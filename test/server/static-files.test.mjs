// Static files that are unreadable, vanish, turn into directories or shrink while being served: the request gets a
// 404 (or a cut connection, never a short body passed off as whole) and the process keeps serving. The server runs
// as a child process (as `nobody` when the tests run as root, since root reads a mode-000 file anyway), so a crash
// shows as a dead process instead of taking the test runner with it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBin } from './bin-process.mjs';
import { eventually } from './helpers.mjs';

/** Open file descriptors of a process (Linux). */
const openDescriptors = (pid) => readdirSync(`/proc/${pid}/fd`).length;

/** A GET that resolves with status and body, or with `{error}` when the connection fails. */
function get(port, path, { agent = false } = {}) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString() }));
      response.on('error', (error) => resolve({ error: error.code ?? error.message }));
    });
    req.on('error', (error) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/**
 * Starts a child process that keeps replacing `path` with, in turn: the file (renamed into place, so it is never
 * seen half written), nothing, and an empty directory; until it is stopped.
 */
function churn(path, content) {
  const script = `
    const fs = require('node:fs');
    const [path, content] = process.argv.slice(1);
    for (;;) {
      fs.writeFileSync(path + '.tmp', content);
      fs.renameSync(path + '.tmp', path);
      fs.unlinkSync(path);
      fs.mkdirSync(path);
      fs.rmdirSync(path);
    }
  `;
  const child = spawn(process.execPath, ['-e', script, path, content], { stdio: ['ignore', 'ignore', 'inherit'] });
  return async () => {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await rm(path, { recursive: true, force: true });
    await rm(`${path}.tmp`, { force: true });
  };
}

describe('static files that fail underneath the server', () => {
  let dir;
  let bin;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-call-static-fail-'));
    // The server may run as nobody: the folder must be readable to it, like a deployed demo folder.
    await chmod(dir, 0o755);
    await writeFile(join(dir, 'index.html'), '<p>still here</p>');
    await writeFile(join(dir, 'locked.html'), '<p>nobody may read this</p>', { mode: 0o000 });
    await chmod(join(dir, 'locked.html'), 0o000);
    bin = await startBin(['--port', '0', '--open', '--static', `/=${dir}`], {}, { user: 'nobody' });
  });
  after(async () => {
    bin.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 404 for a file it may not read (EACCES) and keeps serving', async () => {
    for (let i = 0; i < 3; i += 1) {
      const locked = await get(bin.port, '/locked.html');
      assert.equal(locked.status, 404, JSON.stringify(locked));
      assert.ok(!locked.body.includes('nobody may read'));
    }
    assert.equal(bin.child.exitCode, null, `the server died: ${bin.stderr()}`);
    assert.deepEqual(await get(bin.port, '/index.html'), { status: 200, body: '<p>still here</p>' });
  });

  it('survives a file that vanishes or becomes a directory between lookup and read, over and over', async (t) => {
    const content = `<p>${'churn '.repeat(2000)}</p>`;
    const statuses = new Map();
    const descriptorsBefore = openDescriptors(bin.child.pid);
    const stop = churn(join(dir, 'churn.html'), content);
    // Eight clients ask for the file, 2,000 times in all, while it flips between present, absent and a directory.
    let left = 2000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (left > 0) {
          left -= 1;
          const response = await get(bin.port, '/churn.html');
          const key = response.error ? `error ${response.error}` : String(response.status);
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (response.status === 200) assert.equal(response.body, content, 'a 200 carries the whole file');
        }
      }),
    );
    await stop();
    const summary = JSON.stringify(Object.fromEntries(statuses));
    t.diagnostic(`responses: ${summary}`);
    assert.equal(bin.child.exitCode, null, `the server died (${summary}): ${bin.stderr()}`);
    for (const key of statuses.keys()) assert.ok(key === '200' || key === '404', summary);
    assert.ok(statuses.get('404') > 0, `the file was never seen missing: ${summary}`);
    assert.deepEqual(await get(bin.port, '/index.html'), { status: 200, body: '<p>still here</p>' });
    // Every file opened for a request was closed again, whichever way the request ended.
    await eventually(() => openDescriptors(bin.child.pid) <= descriptorsBefore, 2000, 'file descriptors leaked');
  });

  it('sends a large file whole although it is deleted mid-request, and cuts one that shrinks', async () => {
    const size = 8 * 1024 * 1024;
    for (const [name, spoil, whole] of [
      ['deleted.bin', (path) => rm(path), true],
      ['shrunk.bin', (path) => truncate(path, 1024), false],
    ]) {
      const path = join(dir, name);
      await writeFile(path, Buffer.alloc(size, 0x61));
      const outcome = await new Promise((resolve) => {
        const req = request({ host: '127.0.0.1', port: bin.port, path: `/${name}`, agent: false }, (response) => {
          assert.equal(response.statusCode, 200);
          assert.equal(Number(response.headers['content-length']), size);
          // Headers are in, the body is not: the file changes under the open request.
          response.pause();
          let received = 0;
          spoil(path).then(() => {
            response.on('data', (chunk) => (received += chunk.length));
            response.resume();
          });
          response.on('end', () => resolve({ received, complete: response.complete }));
          response.on('error', () => resolve({ received, complete: false }));
        });
        req.on('error', () => resolve({ received: -1, complete: false }));
        req.end();
      });
      if (whole) assert.deepEqual(outcome, { received: size, complete: true }, name);
      else assert.ok(!outcome.complete && outcome.received < size, `${name}: ${JSON.stringify(outcome)}`);
    }
    assert.equal(bin.child.exitCode, null, `the server died: ${bin.stderr()}`);
    assert.deepEqual(await get(bin.port, '/index.html'), { status: 200, body: '<p>still here</p>' });
  });
});
