// npm run test:lab — the network lab: real browsers in network namespaces behind nftables NATs and firewalls, the
// project's signaling server and coturn on a lab "internet", and the tests that run on it (docs/network-lab.md).
//
//   node test/lab/run.mjs [--only matrix,change,impair] [--cell <regexp>] [--repeat <n>] [--observe <seconds>]
//                         [--timeline] [--json <file>]
//
// --cell picks matrix cells and tests by name, --repeat runs each picked cell n times, --observe watches a network
// change for that long whatever happens, --timeline prints what each side did around a change, --json writes every
// measurement and timeline (docs/network-lab.md's tables are made from it).
//
// Needs root. Prints a pass/fail table per suite and exits non-zero on any failure. Everything it starts is stopped
// and every namespace removed on every path: a failing test, an exception, Ctrl-C or SIGTERM; a run killed outright
// is cleaned up by the next one.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KNOWN_FAILURES, knownFailure } from './known-failures.mjs';
import { removeLeftovers } from './lib/cleanup.mjs';
import { Lab } from './lib/lab.mjs';
import { preflight } from './lib/preflight.mjs';
import { judge, matrixCells, runMatrix } from './matrix.mjs';
import {
  CHANGES,
  judgeChange,
  RECOVERY_LIMIT_MS,
  RECOVERY_TARGET_MS,
  recoveryMs,
  ROAM_AND_HOME,
  runNetworkChange,
} from './network-change.mjs';
import { IMPAIRMENTS, judgeImpairment, runImpairment } from './impairment.mjs';
import { checkNetworks } from './self-check.mjs';
import { formatTable } from './lib/table.mjs';
import { changeRows, impairmentRows, matrixRows, slowFirstFrames } from './summary.mjs';

/** A hard bound on the whole run (it takes ~5 minutes; this only stops a run that hangs). */
const DEADLINE_MS = Number(process.env.LAB_DEADLINE_S ?? 480) * 1000;
const SUITES = ['matrix', 'change', 'impair'];
const IMPAIRED_S = Number(process.env.LAB_IMPAIRED_S ?? 15);

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    cell: { type: 'string' },
    observe: { type: 'string' },
    timeline: { type: 'boolean' },
    repeat: { type: 'string' },
    json: { type: 'string' },
  },
});
const suites = args.only ? args.only.split(',') : SUITES;
for (const suite of suites) if (!SUITES.includes(suite)) fail(`unknown suite ${suite} (one of ${SUITES.join(', ')})`);

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
const log = (line) => process.stdout.write(`[lab ${elapsed()}] ${line}\n`);

function fail(message) {
  process.stderr.write(`test:lab FAILED: ${message}\n`);
  process.exit(1);
}

const problems = preflight();
if (problems.length) fail(`the lab cannot run here:\n  - ${problems.join('\n  - ')}`);

/** Rows of every suite: { suite, name, status: 'pass'|'fail'|'known'|'fixed', detail, ...measurements }. */
const outcomes = [];
const report = { date: new Date().toISOString(), suites: {} };
const lab = new Lab();
let tornDown = false;

async function tearDown() {
  if (tornDown) return;
  tornDown = true;
  const before = Date.now();
  try {
    await lab.tearDown();
    log(`torn down in ${Date.now() - before} ms`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    log(`${signal}: tearing down`);
    await tearDown();
    process.exit(130);
  });
}
const deadline = setTimeout(async () => {
  log(`the run passed its ${DEADLINE_MS / 1000} s deadline: tearing down`);
  await tearDown();
  fail(`deadline of ${DEADLINE_MS / 1000} s passed (LAB_DEADLINE_S overrides it)`);
}, DEADLINE_MS);

/** Classifies a cell's failed checks against the known-failure list; records one outcome row. */
function record(suite, name, failedChecks, row) {
  const unknown = failedChecks.filter((f) => !knownFailure(name, f.check, f.detail));
  const known = failedChecks.filter((f) => knownFailure(name, f.check, f.detail));
  const status = unknown.length ? 'fail' : known.length ? 'known' : 'pass';
  outcomes.push({ suite, name, status, failed: failedChecks, ...row });
  const detail = failedChecks.map(
    (f) => `${knownFailure(name, f.check, f.detail) ? '(known) ' : ''}${f.check}: ${f.detail}`,
  );
  log(`${status.toUpperCase().padEnd(5)} ${name}${detail.length ? `\n        ${detail.join('\n        ')}` : ''}`);
}

/** Every browser the selected suites call from (launched together up front, while the networks are checked). */
function browsersNeeded() {
  const sides = [];
  if (suites.includes('matrix'))
    sides.push(
      ...matrixCells()
        .filter((c) => selected(c.id))
        .flatMap((c) => c.sides),
    );
  if (suites.includes('change') || suites.includes('impair')) sides.push({ client: 'roam' }, { client: 'home' });
  const seen = new Set();
  return sides.filter(
    ({ client, kind = 'chromium' }) => !seen.has(`${client}/${kind}`) && seen.add(`${client}/${kind}`),
  );
}

const filter = args.cell ? new RegExp(args.cell) : undefined;
const selected = (name) => !filter || filter.test(name);

/** The matrix's calls; `done` once both halves (see runMatrix) have finished. */
function startMatrix() {
  // --repeat N runs each selected cell N times (to see how often something happens).
  const cells = Array.from({ length: Number(args.repeat ?? 1) }, () =>
    matrixCells().filter((c) => selected(c.id)),
  ).flat();
  log(`matrix: ${cells.length} cells (${cells.filter((c) => c.expected.connects).length} expected to connect)`);
  const started = Date.now();
  const results = [];
  const { connecting, failing } = runMatrix(lab, cells, (cell, result) => {
    const failed = result.error ? [{ check: 'ran', detail: result.error }] : judge(cell, result);
    results.push({ cell, result });
    record('matrix', cell.id, failed, { cell, result });
  });
  const done = Promise.all([connecting, failing]).then(() => {
    report.suites.matrix = { ms: Date.now() - started, results };
    log(`matrix done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  return { done };
}

async function runChanges() {
  const started = Date.now();
  const observeMs = args.observe ? Number(args.observe) * 1000 : undefined;
  const results = [];
  for (const name of Object.keys(CHANGES).filter((n) => selected(`network-change/${n}`))) {
    let result;
    try {
      result = await runNetworkChange(lab, name, { observeMs, log });
    } catch (error) {
      result = { change: name, error: error.stack };
    }
    results.push(result);
    record('change', `network-change/${name}`, judgeChange(result), { change: result });
    if (args.timeline && result.timelines) printTimelines(result);
  }
  report.suites.change = { ms: Date.now() - started, results };
}

async function runImpairments() {
  const started = Date.now();
  const results = [];
  for (const name of Object.keys(IMPAIRMENTS).filter((n) => selected(`impairment/${n}`))) {
    let result;
    try {
      result = await runImpairment(lab, name);
    } catch (error) {
      result = { impairment: name, error: error.stack };
    }
    results.push(result);
    record('impair', `impairment/${name}`, judgeImpairment(result), { impairment: result });
  }
  report.suites.impair = { ms: Date.now() - started, results };
}

try {
  const leftovers = await removeLeftovers();
  if (leftovers) log(leftovers);
  await lab.setUp({ log });
  const needed = browsersNeeded();
  const checked = checkNetworks(lab).then((rows) => (log(`networks checked (RFC 5780 probes)`), rows));
  const versions = await lab.warmUp(needed);
  log(`browsers up: ${versions.join(', ')}`);
  const networks = await checked;
  for (const row of networks) {
    const detail = row.ok ? [] : [{ check: 'nat-behaviour', detail: `expected ${JSON.stringify(row.expected)}` }];
    record('networks', row.client, detail, { profile: row.profile, mapping: row.mapping, filtering: row.filtering });
  }
  report.networks = networks;
  // The network changes and the loss and rate measurements run after the matrix, alone: what they time is the
  // product's recovery, and with the matrix's failing calls beside them (two browsers each, checking until ICE gives
  // up) the 2-core machine starved the roaming page and the frames came back seconds after the connection did.
  const matrix = suites.includes('matrix') ? startMatrix() : undefined;
  await matrix?.done;
  if (matrix && (suites.includes('change') || suites.includes('impair'))) {
    const closed = await lab.closeBrowsersExcept(ROAM_AND_HOME);
    log(`closed the ${closed} browsers the network changes do not use`);
  }
  if (suites.includes('change')) await runChanges();
  if (suites.includes('impair')) await runImpairments();
} catch (error) {
  outcomes.push({ suite: 'lab', name: 'run', status: 'fail', failed: [{ check: 'ran', detail: error.stack }] });
  log(`ERROR ${error.stack}`);
} finally {
  clearTimeout(deadline);
  report.browsers = lab.versions();
  await tearDown();
}

printSummary();
if (args.json)
  await writeFile(args.json, JSON.stringify({ ...report, outcomes, totalMs: Date.now() - startedAt }, null, 1));

function printSummary() {
  const matrix = outcomes.filter((o) => o.suite === 'matrix' && o.result && !o.result.error);
  if (matrix.length) {
    process.stdout.write(`\nTraversal matrix (${matrix.length} cells)\n`);
    process.stdout.write(formatTable(matrixRows(matrix)));
  }
  const changes = outcomes.filter((o) => o.suite === 'change');
  if (changes.length) {
    process.stdout.write(
      `\nNetwork change mid-call (test: frames and connected back on both sides within ${RECOVERY_LIMIT_MS / 1000} s; ` +
        `target: ${RECOVERY_TARGET_MS / 1000} s)\n`,
    );
    process.stdout.write(formatTable(changeRows(changes)));
    const times = changes.filter((o) => o.change?.sides).map((o) => [o.name, recoveryMs(o.change)]);
    const missed = times.filter(([, ms]) => ms === undefined || ms > RECOVERY_TARGET_MS);
    const figure = ([name, ms]) =>
      `${name.replace('network-change/', '')} ${ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`}`;
    report.recoveryTarget = {
      targetMs: RECOVERY_TARGET_MS,
      met: missed.length === 0,
      times: Object.fromEntries(times),
    };
    process.stdout.write(
      `Recovery target (${RECOVERY_TARGET_MS / 1000} s): ${missed.length ? `**missed** by ${missed.map(figure).join(', ')}` : 'met'}` +
        ` (${times.map(figure).join(', ')})\n`,
    );
    for (const line of slowFirstFrames(changes)) process.stdout.write(`${line}\n`);
  }
  const impairments = outcomes.filter((o) => o.suite === 'impair' && o.impairment?.directions);
  if (impairments.length) {
    process.stdout.write(`\nLoss and rate limits on roam's router (${IMPAIRED_S} s each, getStats every second)\n`);
    process.stdout.write(formatTable(impairmentRows(impairments)));
  }
  const passed = outcomes.filter((o) => o.status === 'pass').length;
  const knownRows = outcomes.filter((o) => o.status === 'known');
  if (knownRows.length) {
    process.stdout.write(`\nKnown failures (product bugs to fix; listed in test/lab/known-failures.mjs):\n`);
    for (const entry of KNOWN_FAILURES) {
      const hits = knownRows.filter((o) => o.failed.some((f) => knownFailure(o.name, f.check, f.detail) === entry));
      if (hits.length) process.stdout.write(`  - ${entry.title} [${hits.length}]: ${entry.cause}\n`);
    }
  }
  // A listed failure none of whose cells failed any more (and some of them ran) is fixed: the entry must go, so the
  // list never hides a regression of something that works.
  for (const entry of KNOWN_FAILURES.filter((e) => !e.intermittent)) {
    const ran = outcomes.filter((o) => entry.cells.test(o.name));
    if (ran.length && !knownRows.some((o) => o.failed.some((f) => knownFailure(o.name, f.check, f.detail) === entry))) {
      outcomes.push({
        suite: 'lab',
        name: 'known-failures',
        status: 'fail',
        failed: [
          { check: 'fixed', detail: `"${entry.title}" no longer fails: remove it from test/lab/known-failures.mjs` },
        ],
      });
    }
  }
  const failures = outcomes.filter((o) => o.status === 'fail');
  process.stdout.write(
    `\ntest:lab: ${passed} passed, ${failures.length} failed, ${knownRows.length} known failures, ${elapsed()}\n`,
  );
  for (const f of failures)
    process.stdout.write(
      `  FAILED ${f.suite} ${f.name}: ${f.failed.map((x) => `${x.check}: ${x.detail}`).join('; ')}\n`,
    );
  if (failures.length) process.exitCode = 1;
}

/** Key events of both sides around a network change, times in seconds from the change. */
function printTimelines(result) {
  const shown =
    /^(ws-|ice$|pc$|pc-created|state|reconnecting|recovered|error|peer-|route|online|offline|connection-change)/;
  for (const [i, events] of result.timelines.entries()) {
    process.stdout.write(`\n  ${result.change}: ${i === 0 ? 'roam' : 'home'} timeline (s from the change)\n`);
    for (const { t, what, ...rest } of events.filter((e) => shown.test(e.what))) {
      const detail = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`);
      process.stdout.write(`    ${(t / 1000).toFixed(2).padStart(7)}  ${what} ${detail.join(' ')}\n`);
    }
  }
}
