// Every run names its namespaces and its directory after its own pid (`p2pl-<pid>-…`, /tmp/p2pl-<pid>). A run that
// was killed leaves them behind; the next run removes the leftovers of every run whose process is gone: first the
// processes still inside those namespaces (coturn, servers, browsers: by pid, from `ip netns pids`), then the
// namespaces (their interfaces and nftables tables go with them) and their /etc/netns files, then the directories.
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './shell.mjs';
import { NETNS_ETC } from './topology.mjs';

export const RUN_PREFIX = 'p2pl-';

export const prefixFor = (pid) => `${RUN_PREFIX}${pid}-`;
export const runDirFor = (pid) => join(tmpdir(), `${RUN_PREFIX}${pid}`);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const ownerPid = (name) => Number(new RegExp(`^${RUN_PREFIX}(\\d+)`).exec(name)?.[1]);

async function namespacesOf(filter) {
  const out = await run('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter((name) => name.startsWith(RUN_PREFIX) && filter(ownerPid(name)));
}

/** Kills what runs inside `namespaces` (by pid) and deletes them. */
export async function removeNamespaces(namespaces) {
  const pids = new Set();
  for (const ns of namespaces) {
    const out = await run('ip', ['netns', 'pids', ns]).catch(() => '');
    for (const pid of out.split('\n').filter(Boolean)) pids.add(Number(pid));
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5000;
  while ([...pids].some(alive) && Date.now() < deadline) await sleep(50);
  const failures = [];
  for (const ns of namespaces) {
    await run('ip', ['netns', 'del', ns]).catch((error) => failures.push(error.message));
    await rm(join(NETNS_ETC, ns), { recursive: true, force: true });
  }
  return { killed: pids.size, removed: namespaces.length - failures.length, failures };
}

/** Removes what earlier, dead runs left. Returns a one-line summary, or '' when there was nothing. */
export async function removeLeftovers() {
  const stale = (pid) => Number.isInteger(pid) && pid !== process.pid && !alive(pid);
  const namespaces = await namespacesOf(stale);
  const result = await removeNamespaces(namespaces);
  const dirs = (await readdir(tmpdir())).filter((name) => name.startsWith(RUN_PREFIX) && stale(ownerPid(name)));
  for (const dir of dirs) await rm(join(tmpdir(), dir), { recursive: true, force: true });
  if (result.failures.length) throw new Error(`could not remove leftovers: ${result.failures.join('; ')}`);
  if (!namespaces.length && !dirs.length) return '';
  return `removed leftovers of earlier runs: ${namespaces.length} namespaces, ${result.killed} processes, ${dirs.length} directories`;
}
