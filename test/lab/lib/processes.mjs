// Long-running lab processes (coturn, signaling servers) started inside a namespace, each writing its output to a
// log file in the run's directory (read back when something fails). Stopped by their own pid, never by name.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

/** Starts `command args` inside namespace `ns`; `ip netns exec` execs it, so the child's pid is the command's own. */
export function spawnInNamespace(ns, command, args, { logPath, env } = {}) {
  const child = spawn('ip', ['netns', 'exec', ns, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env,
  });
  const log = createWriteStream(logPath);
  // Two streams into one file: neither may end it on its own; it ends once the process has closed both.
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  child.once('close', () => log.end());
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.label = `${command} in ${ns}`;
  running.add(child);
  void child.exited.then(() => running.delete(child));
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const exited = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!exited) {
    child.kill('SIGKILL');
    await child.exited;
  }
}

export async function stopAllProcesses() {
  await Promise.all([...running].map((child) => stopProcess(child)));
}

/** Polls `probe()` until it resolves truthy; fails with `what` after `timeoutMs` or when `child` exits first. */
export async function waitUntil(probe, { child, timeoutMs = 10_000, what }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${child.label} exited (${child.exitCode ?? child.signalCode}) before ${what}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
