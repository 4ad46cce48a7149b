// The published typings as a consumer's TypeScript sees them: `p2p-call/react` resolves through package.json
// "exports" to dist/types and types <p2p-call> in JSX, with the library checks on (skipLibCheck off). Needs the build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const consumer = mkdtempSync(join(tmpdir(), 'p2p-call-consumer-'));
after(() => rmSync(consumer, { recursive: true, force: true }));

test('a React consumer type-checks <p2p-call> from the package exports', () => {
  mkdirSync(join(consumer, 'node_modules/@types'), { recursive: true });
  symlinkSync(root, join(consumer, 'node_modules/p2p-call'));
  symlinkSync(join(root, 'node_modules/@types/react'), join(consumer, 'node_modules/@types/react'));
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    noEmit: true,
    lib: ['ES2022', 'DOM'],
    types: [],
  };
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['app.tsx'] }));
  writeFileSync(
    join(consumer, 'app.tsx'),
    [
      "import 'p2p-call/p2p-call.js';",
      "import type {} from 'p2p-call/react';",
      'export const ok = <p2p-call room="x" iceServers={[]} onp2p-state-change={(event) => event.detail.state.toUpperCase()} />;',
      'export const bad = <p2p-call muted="no" />;',
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer], {
    encoding: 'utf8',
  });
  // Exactly one error: the string given to the boolean `muted` (so the element is typed, not `any`).
  const errors = run.stdout.split('\n').filter((line) => line.includes('error TS'));
  assert.equal(errors.length, 1, run.stdout);
  assert.match(errors[0], /app\.tsx\(4,.*'string' is not assignable to type 'boolean/u);
});
