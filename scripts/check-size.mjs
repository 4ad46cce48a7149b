// Fails the build when the script-tag bundle's entry grows past its budget (gzip -9 of dist/p2p-call.min.js, what a
// page loads up front; see scripts/bundle-size.mjs). It also prints every chunk the entry can load on demand and the
// total, so that bytes moved out of the entry still show.
import { BUDGET_GZIP_BYTES, bundleSizes, kb } from './bundle-size.mjs';

const { entry, chunks, total } = bundleSizes();
const line = (part) => `${kb(part.raw)} raw, ${kb(part.gzip)} gzip, ${kb(part.brotli)} brotli`;
console.log(`dist/p2p-call.min.js: ${line(entry)} (budget ${kb(BUDGET_GZIP_BYTES)} gzip)`);
for (const chunk of chunks) console.log(`  dist/${chunk.file}: ${line(chunk)} (on demand)`);
console.log(`  entry + ${chunks.length} chunks: ${line(total)}`);
if (entry.gzip > BUDGET_GZIP_BYTES) {
  console.error(`Over budget by ${entry.gzip - BUDGET_GZIP_BYTES} bytes.`);
  process.exit(1);
}
