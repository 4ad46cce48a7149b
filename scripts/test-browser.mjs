// Runs the browser test files one by one with web-test-runner. A file whose run fails is retried up to twice, and
// every retry is printed: headless Chromium on this machine kind occasionally stalls a page for good after probing
// for a Vulkan driver (no GPU here), which is the browser's problem, not the test's. A file that fails three times
// fails the run. Ends with a "N passed, N failed" line counting files.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['test/signaling', 'test/session', 'test/element', 'test/hosts'];
const ATTEMPTS = 3;

const files = ROOTS.flatMap((root) =>
  readdirSync(root)
    .filter((name) => /\.test\.tsx?$/u.test(name))
    .sort()
    .map((name) => join(root, name)),
);
const only = process.argv.slice(2);
const selected = only.length ? files.filter((file) => only.some((part) => file.includes(part))) : files;

let passed = 0;
const failed = [];
for (const file of selected) {
  let ok = false;
  for (let attempt = 1; attempt <= ATTEMPTS && !ok; attempt += 1) {
    if (attempt > 1) console.log(`\n### retrying ${file} (attempt ${attempt} of ${ATTEMPTS}) after a failed run`);
    const run = spawnSync('npx', ['web-test-runner', '--files', file], { stdio: 'inherit' });
    ok = run.status === 0;
  }
  if (ok) passed += 1;
  else failed.push(file);
}
if (failed.length) console.log(`\nFailed after ${ATTEMPTS} attempts: ${failed.join(', ')}`);
console.log(`\nbrowser test files: ${passed} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
