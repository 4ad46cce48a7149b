// The unit tier: DOM-free logic under Node's test runner (TypeScript through tsx), with fakes for the browser's
// parts (data channels, peer links, signaling) and fake timers. Runs in seconds; `npm run test:unit`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = 'test/unit';

/** Every *.test.ts under `dir`, sorted, so runs are in the same order everywhere. */
function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? testFiles(join(dir, entry.name))
        : /\.test\.ts$/u.test(entry.name)
          ? [join(dir, entry.name)]
          : [],
    )
    .sort();
}

const only = process.argv.slice(2);
const files = testFiles(ROOT).filter((file) => !only.length || only.some((part) => file.includes(part)));
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
