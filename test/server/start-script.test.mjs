// `npm start` (scripts/start.mjs) as a developer runs it: it serves the demo and what the demo's pages load, under
// the strict page policy, and nothing else of dist/: not the server's code, not type declarations, no source maps.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm start', () => {
  let child;
  let origin;
  before(async () => {
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    origin = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        out += chunk;
        const port = /p2p-call demo: http:\/\/localhost:(\d+)\//u.exec(out)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${out}`)));
    });
  });
  after(async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });

  const status = async (path) => {
    const response = await fetch(`${origin}${path}`);
    await response.arrayBuffer();
    return response.status;
  };

  it('serves the demo pages under the strict page policy, and the bundle with its chunks', async () => {
    const page = await fetch(`${origin}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<p2p-call/);
    const policy = page.headers.get('content-security-policy');
    assert.match(policy, /script-src 'self';/);
    assert.match(policy, /style-src 'self';/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
    for (const path of ['/broadcast.html', '/demo.js', '/same-origin-signaling.js', '/demo.css']) {
      assert.equal(await status(path), 200, path);
    }
    assert.equal(await status('/dist/p2p-call.min.js'), 200);
    const chunks = readdirSync(`${root}dist/min`).filter((name) => name.endsWith('.js'));
    assert.ok(chunks.length > 0);
    for (const chunk of chunks) assert.equal(await status(`/dist/min/${chunk}`), 200, chunk);
  });

  it('serves neither server code nor type declarations nor source maps from dist/', async () => {
    const maps = readdirSync(`${root}dist/min`)
      .filter((name) => name.endsWith('.map'))
      .map((name) => `/dist/min/${name}`);
    assert.ok(maps.length > 0, 'the build writes source maps for the chunks');
    for (const path of [
      '/dist/server/index.js',
      '/dist/server/bin.js',
      '/dist/index.js',
      '/dist/p2p-call.js',
      '/dist/p2p-call.min.js.map',
      '/dist/index.js.map',
      '/dist/types/server/index.d.ts',
      '/dist/',
      ...maps,
    ]) {
      assert.equal(await status(path), 404, path);
    }
  });
});
