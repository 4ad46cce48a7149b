// The packages as a consumer gets them: both packed with `npm pack`, installed from the tarballs into a fresh
// project (offline: the npm cache has every dependency), the element bundled from its ESM entry by esbuild and also
// served as the script-tag build, the server started from the installed bin, and a call between a bundled page and
// a script-tag page in headless Chromium. publint and arethetypeswrong read the tarballs; the consumer's TypeScript
// reads the installed declarations. Needs the build (`npm run build`).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchBrowser, openPage, waitForCallState } from '../examples/browser.mjs';
import { consumerLockfile } from './consumer-lockfile.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('consumer/', import.meta.url));
const bin = (name) => join(root, 'node_modules/.bin', name);
const project = mkdtempSync(join(tmpdir(), 'p2p-call-consumer-'));
const tarballs = {};

/** Runs a command to its end and returns everything it printed (stdout, then stderr); a failure throws with it. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.error ?? result.status}):\n${output}`);
  return output;
}

/** `npm pack` of the package in `dir` (the root, or a workspace) into the consumer project; the tarball's path. */
function pack(workspace) {
  const args = ['pack', '--json', '--pack-destination', project, ...(workspace ? ['--workspace', workspace] : [])];
  const packed = spawnSync('npm', args, { cwd: root, encoding: 'utf8' });
  assert.equal(packed.status, 0, `npm ${args.join(' ')} failed:\n${packed.stderr}`);
  const [{ filename }] = JSON.parse(packed.stdout);
  return join(project, filename);
}

before(() => {
  tarballs.element = pack();
  tarballs.server = pack('server');
  const repoLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const lock = consumerLockfile(repoLock, tarballs);
  const manifest = { name: lock.name, version: lock.version, private: true, type: 'module', ...lock.packages[''] };
  delete manifest.name;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: lock.name, ...manifest }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock, null, 2));
  cpSync(fixture, project, { recursive: true });
});
after(() => rmSync(project, { recursive: true, force: true }));

describe('the packed packages in a fresh project', () => {
  test('publint and arethetypeswrong find nothing in either tarball', () => {
    for (const tarball of [tarballs.element, tarballs.server]) {
      const publint = run(bin('publint'), [tarball]);
      assert.match(publint, /All good!/u, publint);
      // ESM only by design: no CommonJS build, so the CommonJS and node10 resolutions are not asked about.
      run(bin('attw'), [tarball, '--profile', 'esm-only']);
    }
  });

  test('install offline from the tarballs, with no warning', () => {
    const output = run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: project });
    assert.doesNotMatch(output, /warn/iu, output);
    const installed = (name) => JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8'));
    assert.equal(installed('p2p-call').version, installed('p2p-call-server').version);
    // The element package brings what its browser build needs, none of the server's dependencies.
    assert.deepEqual(Object.keys(installed('p2p-call').dependencies).sort(), ['lit', 'mitt']);
  });

  test("the consumer's TypeScript accepts the installed declarations", () => {
    // Node's types are the consumer's own to bring, as for any server package.
    mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
    symlinkSync(join(root, 'node_modules/@types/node'), join(project, 'node_modules/@types/node'));
    const compilerOptions = {
      strict: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'bundler',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: ['node'],
      noEmit: true,
      skipLibCheck: false,
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src/types.ts'] }));
    run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project]);
  });

  describe('a call between a bundled page and a script-tag page', () => {
    let server;
    let browser;
    let origin;

    before(
      async () => {
        await build({
          absWorkingDir: project,
          entryPoints: ['src/app.js'],
          outdir: 'public/bundled',
          bundle: true,
          splitting: true,
          format: 'esm',
          target: 'es2022',
          logLevel: 'silent',
        });
        // The installed bin, as `npx p2p-call-server` runs it: the bundled page at /bundled/, the installed
        // package's dist/ as it is for the script-tag page.
        server = spawn(
          join(project, 'node_modules/.bin/p2p-call-server'),
          [
            '--open',
            '--port',
            '0',
            '--static',
            `/=${join(project, 'public')}`,
            '--static',
            `/dist/=${join(project, 'node_modules/p2p-call/dist')}`,
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        const lines = createInterface({ input: server.stdout });
        const port = await new Promise((resolve, reject) => {
          server.once('exit', (code) => reject(new Error(`p2p-call-server exited (${code}) before listening`)));
          lines.on('line', (line) => {
            const entry = JSON.parse(line);
            if (entry.event === 'listening') resolve(entry.port);
          });
        });
        origin = `http://127.0.0.1:${port}`;
        browser = await launchBrowser();
      },
      { timeout: 60_000 },
    );
    after(async () => {
      await browser?.close();
      server?.kill('SIGTERM');
    });

    test('both connect and exchange data', { timeout: 60_000 }, async () => {
      const room = `package-${process.pid}`;
      const bundled = await openPage(browser, `${origin}/bundled/?room=${room}`);
      const scriptTag = await openPage(browser, `${origin}/script-tag/?room=${room}`);
      await waitForCallState(bundled, 'connected');
      await waitForCallState(scriptTag, 'connected');
      const received = (page, count) =>
        page.waitForFunction((n) => window.consumer.received.length >= n, { timeout: 15_000, polling: 100 }, count);
      await Promise.all([received(bundled, 1), received(scriptTag, 1)]);
      assert.deepEqual(await bundled.evaluate(() => window.consumer.received), [{ from: 'script-tag' }]);
      assert.deepEqual(await scriptTag.evaluate(() => window.consumer.received), [{ from: 'bundled' }]);
      assert.equal(await bundled.evaluate(() => window.consumer.sameClass), true);
      assert.deepEqual([...bundled.log, ...scriptTag.log], []);
    });
  });
});
