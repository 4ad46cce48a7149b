// Measured figures that the docs quote in more than one place come from one source each and are copied into the
// pages by this script, so two pages cannot disagree: the bench's last full run (bench/results/latest.json), the
// signaling load run (bench/results/signaling-load.md) and the size budget (scripts/bundle-size.mjs).
//
// - Inline, in README.md, SECURITY.md and docs/*.md: `<!-- figure:NAME -->value<!-- /figure -->` (not inside a
//   table: a longer value would change the column widths Prettier pads).
// - Whole regions between `<!-- NAME:start -->` and `<!-- NAME:end -->` (see REGIONS).
//
// `npm run docs:readme` writes them; `npm run docs:check` (in `npm test`) writes nothing and fails when a page
// differs from its source.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from '../bench/lib/report.mjs';
import { BUDGET_GZIP_BYTES, kb } from './bundle-size.mjs';

const root = new URL('..', import.meta.url);
const read = (path) => readFileSync(fileURLToPath(new URL(path, root)), 'utf8');

/** The inline figures, by name, from their sources. */
export function figures(latest) {
  const { bundle } = latest.metrics;
  return {
    budget: `${Number.isInteger(BUDGET_GZIP_BYTES / 1024) ? BUDGET_GZIP_BYTES / 1024 : (BUDGET_GZIP_BYTES / 1024).toFixed(1)} KB`,
    'bench-run': `${latest.date.slice(0, 10)}, commit ${latest.commit}`,
    'entry-gzip': kb(bundle.gzip),
    'entry-brotli': kb(bundle.brotli),
    'entry-min': kb(bundle.raw),
    'chunk-count': String(bundle.chunks.length),
    'total-gzip': kb(bundle.total.gzip),
    'total-brotli': kb(bundle.total.brotli),
  };
}

const FIGURE = /<!-- figure:([\w-]+) -->([\s\S]*?)<!-- \/figure -->/gu;

/** `text` with every inline figure set from `values`; throws on a name that has no source. */
export function setFigures(text, values, file = 'a page') {
  return text.replace(FIGURE, (_, name) => {
    if (!(name in values))
      throw new Error(`${file}: no source for the figure "${name}" (known: ${Object.keys(values).join(', ')})`);
    return `<!-- figure:${name} -->${values[name]}<!-- /figure -->`;
  });
}

/** `text` with the region `start`..`end` holding `body` (a blank line on either side); throws without markers. */
export function setRegion(text, [start, end], body, file = 'a page') {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} needs the markers ${start} and ${end}.`);
  return `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`;
}

/** Markdown as the repository's Prettier writes it (padded tables), so `npm run format` leaves it alone. */
async function formatted(markdown, file) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(fileURLToPath(new URL(file, root)))) ?? {};
  return (await prettier.format(markdown, { ...options, parser: 'markdown' })).trimEnd();
}

/** Whole regions: [file, markers, source of the body]. The bench writes the first two itself after a full run. */
const REGIONS = [
  [
    'docs/performance.md',
    ['<!-- latest results: start -->', '<!-- latest results: end -->'],
    (latest) => renderMarkdown(latest),
  ],
  [
    'docs/performance.md',
    ['<!-- signaling-load:start -->', '<!-- signaling-load:end -->'],
    () => read('bench/results/signaling-load.md'),
  ],
];

/** Every page that may quote a figure. */
const pages = () => [
  'README.md',
  'SECURITY.md',
  ...readdirSync(new URL('docs/', root))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const latest = JSON.parse(read('bench/results/latest.json'));
  const values = figures(latest);
  const stale = [];
  try {
    const updates = new Map(pages().map((file) => [file, read(file)]));
    for (const [file, text] of updates) updates.set(file, setFigures(text, values, file));
    for (const [file, markers, source] of REGIONS) {
      updates.set(file, setRegion(updates.get(file), markers, await formatted(source(latest), file), file));
    }
    // The bench's own Markdown report is the same figures again.
    updates.set('bench/results/latest.md', `${await formatted(renderMarkdown(latest), 'bench/results/latest.md')}\n`);
    for (const [file, text] of updates) {
      if (text === read(file)) continue;
      stale.push(file);
      if (!check) writeFileSync(fileURLToPath(new URL(file, root)), text);
    }
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  if (stale.length === 0) console.log('Figures: every page matches its source.');
  else if (check) {
    console.error(`Figures differ from their sources in ${stale.join(', ')}: run \`npm run docs:readme\` and commit.`);
    process.exit(1);
  } else console.log(`Figures updated in ${stale.join(', ')}.`);
}
