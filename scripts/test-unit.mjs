// The unit tier: DOM-free logic under Node's test runner (TypeScript through tsx), with fakes for the browser's
// parts (data channels, peer links, signaling) and fake timers. `npm run test:unit [part-of-a-file-name ...]`.
// Every file runs in one process (an entry that imports them all): a process per file would spend most of the run
// starting tsx.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = 'test/unit';

/** Every *.test.ts under `dir`, sorted, so runs are in the same order everywhere. */
function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? testFiles(join(dir, entry.name)) : /\.test\.ts$/u.test(entry.name) ? [join(dir, entry.name)] : []))
    .sort();
}

const only = process.argv.slice(2);
const files = testFiles(ROOT).filter((file) => !only.length || only.some((part) => file.includes(part)));
const dir = mkdtempSync(join(tmpdir(), 'p2p-call-unit-'));
const entry = join(dir, 'all.test.mjs');
writeFileSync(entry, files.map((file) => `import ${JSON.stringify(pathToFileURL(resolve(file)).href)};`).join('\n'));
const started = performance.now();
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', entry], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
console.log(`unit tier: ${files.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(run.status ?? 1);
