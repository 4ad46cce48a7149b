// Fails the build when the script-tag bundle grows past its budget (gzip -9 of dist/p2p-call.min.js).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';

// TEMPORARY on the embed-ui branch: +8,960 bytes for the lobby, three languages, quality indicator, theming and
// layouts (issue 7); the lead reconciles the budget at merge (main drops @noble/hashes, ~3-4 KB).
export const BUDGET_GZIP_BYTES = 35 * 1024 + 8960;
const file = new URL('../dist/p2p-call.min.js', import.meta.url);
const source = readFileSync(file);
const gzip = gzipSync(source, { level: 9 }).length;
const brotli = brotliCompressSync(source).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`dist/p2p-call.min.js: ${kb(source.length)} raw, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${kb(BUDGET_GZIP_BYTES)} gzip)`);
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`Over budget by ${gzip - BUDGET_GZIP_BYTES} bytes.`);
  process.exit(1);
}
