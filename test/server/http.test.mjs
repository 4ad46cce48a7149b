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

/** The raw answer to a WebSocket upgrade request (headers of a refusal included). */
function upgrade(port, path, { headers = {}, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      localAddress,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
        ...headers,
      },
    });
    req.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers }));
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode, headers: response.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security headers', () => {
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-call-headers-'));
    await writeFile(join(dir, 'index.html'), '<p>page</p>');
    await writeFile(join(dir, 'app.js'), 'export {};');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const assertCommon = (response, what) => {
    assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
    assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
    assert.match(response.headers['content-security-policy'] ?? '', /frame-ancestors 'none'/, what);
    assert.equal(response.headers['x-frame-options'], 'DENY', what);
  };

  it('are on every answer: files, 404, health, metrics and refused upgrades (401, 404, 429, 503)', async () => {
    const { server } = await startServer({
      open: true,
      secret: 's'.repeat(32),
      maxConnectionsPerIp: 1,
      maxConnections: 2,
      staticMounts: { '/': dir },
    });
    const page = await get(server.port, '/');
    assert.equal(page.status, 200);
    assertCommon(page, 'page');
    assert.equal(
      page.headers['content-security-policy'],
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    assertCommon(await get(server.port, '/app.js'), 'script');
    for (const path of ['/missing', '/healthz', '/metrics']) {
      const response = await get(server.port, path);
      assertCommon(response, path);
      assert.match(response.headers['content-security-policy'], /^default-src 'none'/, path);
    }
    const refusals = [await upgrade(server.port, '/signal?token=forged'), await upgrade(server.port, '/elsewhere')];
    // One socket per address, two in all: a second from this address is 429, a third from anywhere 503.
    const first = await connect(server.url);
    refusals.push(await upgrade(server.port, '/signal'));
    const second = await connect(server.url, { localAddress: '127.0.0.2' });
    refusals.push(await upgrade(server.port, '/signal', { localAddress: '127.0.0.3' }));
    assert.deepEqual(
      refusals.map((response) => response.status),
      [401, 404, 429, 503],
    );
    for (const response of refusals) assertCommon(response, `upgrade ${response.status}`);
    await Promise.all([first.close(), second.close()]);
    await server.close();
  });

  it('send frame-ancestors as configured, with X-Frame-Options only where it can say the same', async () => {
    const { server } = await startServer({
      staticMounts: { '/': dir },
      frameAncestors: ["'self'", 'https://ats.example.com', 'https://*.crm.example.com'],
    });
    const page = await get(server.port, '/');
    assert.match(
      page.headers['content-security-policy'],
      /; frame-ancestors 'self' https:\/\/ats\.example\.com https:\/\/\*\.crm\.example\.com$/,
    );
    assert.equal(page.headers['x-frame-options'], undefined);
    await server.close();
    const self = await startServer({ staticMounts: { '/': dir }, frameAncestors: ['self'] });
    const framed = await get(self.server.port, '/');
    assert.match(framed.headers['content-security-policy'], /frame-ancestors 'self'$/);
    assert.equal(framed.headers['x-frame-options'], 'SAMEORIGIN');
    await self.server.close();
  });

  it('take the page policy from contentSecurityPolicy, and refuse settings that would break the header', async () => {
    const { server } = await startServer({
      staticMounts: { '/': dir },
      contentSecurityPolicy: "default-src 'self'; script-src 'self' 'unsafe-inline'",
    });
    const page = await get(server.port, '/');
    assert.equal(
      page.headers['content-security-policy'],
      "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    await server.close();
    for (const [options, message] of [
      [{ frameAncestors: ['*'] }, /frame-ancestors source/],
      [{ frameAncestors: ["'none'", "'self'"] }, /cannot be combined/],
      [{ frameAncestors: [] }, /must not be empty/],
      [{ contentSecurityPolicy: "default-src 'self'; frame-ancestors *" }, /frameAncestors instead/],
      [{ contentSecurityPolicy: "default-src 'self'\r\nSet-Cookie: a=b" }, /one non-empty line/],
    ]) {
      await assert.rejects(startServer(options), { name: 'ConfigError', message }, JSON.stringify(options));
    }
  });
});

describe('static mounts', () => {
  it('serve a folder on whole path segments only, a file at exactly its path, and only the listed extensions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'p2p-call-mounts-'));
    await mkdir(join(dir, 'assets'));
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, 'assets', 'a.js'), 'export const a = 1;');
    await writeFile(join(dir, 'one.js'), 'export const one = 1;');
    await writeFile(join(dir, 'lib', 'x.js'), 'export const x = 1;');
    await writeFile(join(dir, 'lib', 'x.js.map'), '{"version":3}');
    const { server } = await startServer({
      staticMounts: {
        '/assets': join(dir, 'assets'),
        '/one.js': join(dir, 'one.js'),
        '/lib/': { dir: join(dir, 'lib'), extensions: ['.js'] },
      },
    });
    const status = async (path) => (await get(server.port, path)).status;
    assert.equal(await status('/assets/a.js'), 200);
    assert.equal(await status('/assetsa.js'), 404, 'a prefix is not a path segment');
    assert.equal(await status('/one.js'), 200);
    assert.equal(await status('/one.js.map'), 404);
    assert.equal(await status('/lib/x.js'), 200);
    assert.equal(await status('/lib/x.js.map'), 404, 'an extension not listed');
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
});
