// The HTTP side of the one port: static files for the demo, nothing outside the mounted roots, health check.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, startServer } from './helpers.mjs';

/** A raw GET: the path is sent exactly as written, so `..` and encodings reach the server unnormalised. */
function get(port, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('http', () => {
  let server;
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-call-static-'));
    await mkdir(join(dir, 'www', 'sub'), { recursive: true });
    await mkdir(join(dir, 'dist', 'min'), { recursive: true });
    await writeFile(join(dir, 'www', 'index.html'), '<p>demo</p>');
    await writeFile(join(dir, 'www', 'sub', 'index.html'), '<p>sub</p>');
    await writeFile(join(dir, 'dist', 'p2p-call.min.js'), 'console.log(1)');
    await writeFile(join(dir, 'dist', 'min', 'de-abc123.js'), 'export const de = {};');
    await writeFile(join(dir, 'secret.txt'), 'TOP-SECRET');
    ({ server } = await startServer({ staticMounts: { '/': join(dir, 'www'), '/dist/': join(dir, 'dist') } }));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers /healthz', async () => {
    const response = await get(server.port, '/healthz');
    assert.equal(response.status, 200);
  });

  it('serves mounted files with a content type and nosniff', async () => {
    const index = await get(server.port, '/');
    assert.equal(index.status, 200);
    assert.equal(index.body, '<p>demo</p>');
    assert.match(index.headers['content-type'], /text\/html/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    const sub = await get(server.port, '/sub/');
    assert.equal(sub.body, '<p>sub</p>');
    const bundle = await get(server.port, '/dist/p2p-call.min.js');
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers['content-type'], /javascript/);
    // The bundle is an ES module that imports its chunks from dist/min/: browsers run a module only when it is
    // served with a JavaScript type.
    const chunk = await get(server.port, '/dist/min/de-abc123.js');
    assert.equal(chunk.status, 200);
    assert.equal(chunk.body, 'export const de = {};');
    assert.match(chunk.headers['content-type'], /^text\/javascript/);
  });

  it('answers 404 for a missing file', async () => {
    assert.equal((await get(server.port, '/nope.html')).status, 404);
  });

  for (const path of [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/dist/..%2f..%2fsecret.txt',
    '/dist/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
    '//..//..//secret.txt',
  ]) {
    it(`refuses to leave the mounted roots: ${path}`, async () => {
      const response = await get(server.port, path);
      assert.notEqual(response.status, 200);
      assert.ok(!response.body.includes('TOP-SECRET'));
    });
  }

  it('refuses a WebSocket upgrade on any path but /signal', async () => {
    await assert.rejects(connect(`ws://127.0.0.1:${server.port}/other`), (error) => error.status === 404);
  });
});
