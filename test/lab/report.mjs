// Markdown tables from a lab run's --json report, for docs/network-lab.md:
//   node test/lab/run.mjs --json /tmp/lab.json && node test/lab/report.mjs /tmp/lab.json
import { readFile } from 'node:fs/promises';
import { changeRows, impairmentRows, matrixRows } from './summary.mjs';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node test/lab/report.mjs <report.json written by run.mjs --json>\n');
  process.exit(1);
}
const report = JSON.parse(await readFile(file, 'utf8'));
const of = (suite) => report.outcomes.filter((o) => o.suite === suite);

const markdown = (rows) => {
  const line = (row) => `| ${row.map((cell) => String(cell ?? '').replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n');
};

const passed = report.outcomes.filter((o) => o.status === 'pass').length;
const failed = report.outcomes.filter((o) => o.status === 'fail').length;
const sections = [
  `Run of ${report.date}: ${(report.totalMs / 1000).toFixed(0)} s, ${passed} passed, ${failed} failed; ` +
    `${(report.browsers ?? []).join(', ')}.`,
];
const matrix = of('matrix').filter((o) => o.result && !o.result.error);
if (matrix.length) sections.push(markdown(matrixRows(matrix)));
const changes = of('change').filter((o) => o.change?.sides);
if (changes.length) sections.push(markdown(changeRows(changes)));
const impairments = of('impair').filter((o) => o.impairment?.directions);
if (impairments.length) sections.push(markdown(impairmentRows(impairments)));
process.stdout.write(`${sections.join('\n\n')}\n`);
