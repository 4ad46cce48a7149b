// Refreshes the code blocks of docs/embedding.md that copy a file (`<!-- file: PATH -->` followed by a fenced
// block) from that file. `npm run docs:embedding`; test/scripts/embedding-doc.test.mjs fails when one is stale.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const docUrl = new URL('docs/embedding.md', root);
const doc = readFileSync(docUrl, 'utf8');
const updated = doc.replace(/(<!-- file: (\S+) -->\n\n```\w*\n)[\s\S]*?(\n```)/gu, (_, head, path, tail) => {
  return head + readFileSync(new URL(path, root), 'utf8').replace(/\n+$/u, '') + tail;
});
if (updated !== doc) writeFileSync(docUrl, updated);
console.log(updated === doc ? 'docs/embedding.md already shows the current files.' : 'docs/embedding.md updated.');
