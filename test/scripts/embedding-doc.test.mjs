// docs/embedding.md shows the code the tests run: each code block after a `<!-- file: PATH -->` marker must be
// that file, byte for byte (trailing newlines aside).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/embedding.md', root), 'utf8');
const blocks = [...doc.matchAll(/<!-- file: (\S+) -->\n\n```\w*\n([\s\S]*?)\n```/gu)];

test('the guide shows at least the plain page, the React and Vue components and the ATS glue', () => {
  assert.deepEqual(blocks.map(([, path]) => path).sort(), [
    'examples/ats/public/interview-call.js',
    'examples/plain/index.html',
    'test/hosts/react/interview-call.tsx',
    'test/hosts/vue/InterviewCall.vue',
  ]);
});

for (const [, path, shown] of blocks) {
  test(`docs/embedding.md shows ${path} as it is`, () => {
    const current = readFileSync(new URL(path, root), 'utf8').replace(/\n+$/u, '');
    assert.ok(shown === current, `docs/embedding.md shows an old ${path}: run \`npm run docs:embedding\``);
  });
}
