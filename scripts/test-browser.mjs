// The browser tier: every test file under test/{signaling,session,element,hosts} in real headless Chromium, in one
// web-test-runner run (one browser, a fresh page per file, one file at a time: WebRTC calls share two cores).
// There is no retry: a file that fails is a failure to explain, and a flaky test is a bug to find.
//   node scripts/test-browser.mjs [part-of-a-path ...]   runs only the files whose path contains one of the parts.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['test/signaling', 'test/session', 'test/element', 'test/hosts'];

const files = ROOTS.flatMap((root) =>
  readdirSync(root)
    .filter((name) => /\.test\.tsx?$/u.test(name))
    .sort()
    .map((name) => join(root, name)),
);
const only = process.argv.slice(2);
const selected = only.length ? files.filter((file) => only.some((part) => file.includes(part))) : files;
if (selected.length === 0) {
  console.error(`No browser test file matches ${only.join(', ')}.`);
  process.exit(1);
}
const run = spawnSync('npx', ['web-test-runner', ...selected.flatMap((file) => ['--files', file])], { stdio: 'inherit' });
process.exit(run.status ?? 1);
