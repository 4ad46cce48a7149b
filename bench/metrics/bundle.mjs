// 5. Bundle size: gzip and brotli of the script-tag bundle's entry (what a page loads up front) against the budget,
// its chunks loaded on demand and the total, and what each dependency costs inside the entry.
//
// The composition is read from the built entry's own source map (every minified byte attributed to the source file
// it came from), so it describes exactly the file that ships, not a rebuild of today's sources. scripts/
// bundle-composition.mjs measures rollup's rendered (unminified) module sizes instead; this gives the minified bytes.
import { existsSync, readFileSync } from 'node:fs';
import { BUDGET_GZIP_BYTES, bundleSizes, gzipSize as gzip } from '../../scripts/bundle-size.mjs';

export { BUDGET_GZIP_BYTES };

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = Object.fromEntries([...BASE64].map((char, index) => [char, index]));

/** Decodes one source-map segment (base64 VLQ) into its numbers. */
function decodeSegment(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64_VALUES[char];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Which bucket a source belongs to: an npm package, one floor of our own code, or the build's shims. */
export function groupOf(source) {
  if (source === undefined) return '(unmapped)';
  const path = source.replace(/^(\.\.\/)+/u, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith('src/')) {
    const parts = path.split('/');
    return parts.length > 2 ? `p2p-call src/${parts[1]}` : 'p2p-call src (root)';
  }
  if (path.startsWith('scripts/shims/')) return 'build shims';
  return path;
}

/** Minified bytes of `code` per group, from its source map. */
export function composition(code, map) {
  const sources = map.sources;
  const lines = code.split('\n');
  const slices = new Map(); // group -> array of code slices
  let sourceIndex = 0;
  const mappingLines = map.mappings.split(';');
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex];
    const segments = [];
    let column = 0;
    for (const raw of (mappingLines[lineIndex] ?? '').split(',')) {
      if (!raw) continue;
      const values = decodeSegment(raw);
      column += values[0];
      let source;
      if (values.length >= 4) {
        sourceIndex += values[1];
        source = sources[sourceIndex];
      }
      segments.push({ column, group: groupOf(source) });
    }
    segments.sort((a, b) => a.column - b.column);
    const add = (group, text) => {
      if (!text) return;
      if (!slices.has(group)) slices.set(group, []);
      slices.get(group).push(text);
    };
    add('(unmapped)', line.slice(0, segments[0]?.column ?? line.length));
    segments.forEach((segment, index) =>
      add(segment.group, line.slice(segment.column, segments[index + 1]?.column ?? line.length)),
    );
  }
  const total = Buffer.byteLength(code);
  return [...slices.entries()]
    .map(([group, parts]) => {
      const text = Buffer.from(parts.join(''));
      return { group, minified: text.length, share: text.length / total, gzipAlone: gzip(text) };
    })
    .sort((a, b) => b.minified - a.minified);
}

export function measureBundle(file) {
  const { entry, chunks, total } = bundleSizes(file);
  const result = {
    file: 'dist/p2p-call.min.js',
    raw: entry.raw,
    gzip: entry.gzip,
    brotli: entry.brotli,
    budgetGzip: BUDGET_GZIP_BYTES,
    withinBudget: entry.gzip <= BUDGET_GZIP_BYTES,
    chunks,
    total,
  };
  const mapFile = `${file}.map`;
  if (existsSync(mapFile)) {
    const parts = composition(readFileSync(file, 'utf8'), JSON.parse(readFileSync(mapFile, 'utf8')));
    // Each group's share of the entry's gzip, estimated from its share of the minified bytes.
    result.dependencies = parts.map((part) => ({ ...part, gzipShareEstimate: Math.round(part.share * result.gzip) }));
  } else {
    result.dependencies = [];
    result.note = 'no source map next to the bundle: composition not available';
  }
  return result;
}
