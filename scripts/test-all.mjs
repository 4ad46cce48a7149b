// `npm test`: every tier, in order, each timed; a summary table at the end. A tier that fails does not stop the
// others (the run reports everything it can), but the command fails.
import { spawnSync } from 'node:child_process';
import { ensureSystemPackages } from './system-deps.mjs';

if (!ensureSystemPackages()) process.exit(1);

const TIERS = [
  ['build', 'npm run build'],
  ['docs', 'npm run docs:check'],
  ['lint', 'npm run lint'],
  ['types', 'npm run typecheck'],
  ['unit', 'npm run test:unit'],
  ['server', 'npm run test:server'],
  ['scripts', 'npm run test:scripts'],
  ['examples', 'npm run test:examples'],
  ['package', 'npm run test:package'],
  ['browser', 'npm run test:browser'],
  ['interop', 'npm run test:interop'],
  ['network lab', 'npm run test:lab'],
  ['bench smoke', 'npm run test:bench'],
];

const results = [];
for (const [name, command] of TIERS) {
  console.log(`\n=== ${name}: ${command}`);
  const started = performance.now();
  const run = spawnSync(command, { stdio: 'inherit', shell: true });
  const seconds = (performance.now() - started) / 1000;
  results.push({ name, ok: run.status === 0, seconds });
  // Nothing else can run on a build that failed.
  if (name === 'build' && run.status !== 0) break;
}

console.log('\n=== npm test summary');
for (const { name, ok, seconds } of results) console.log(`${ok ? 'pass' : 'FAIL'}  ${seconds.toFixed(1).padStart(6)} s  ${name}`);
const total = results.reduce((sum, { seconds }) => sum + seconds, 0);
console.log(`       ${total.toFixed(1).padStart(6)} s  in all`);
process.exit(results.every(({ ok }) => ok) && results.length === TIERS.length ? 0 : 1);
