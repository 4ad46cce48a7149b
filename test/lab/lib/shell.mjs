// Runs the lab's system commands (ip, nft, openssl) with a deadline, so a hung command fails the run with its own
// name instead of stalling it. Everything the lab does to the system goes through here.
import { execFile } from 'node:child_process';

const COMMAND_TIMEOUT_MS = 10_000;

/** Runs `file args`; resolves with stdout, rejects with the command line and its stderr. */
export function run(file, args, { input, timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error) {
        const why = error.killed ? `timed out after ${timeoutMs} ms` : stderr.trim() || error.message;
        reject(new Error(`${file} ${args.join(' ')}: ${why}`));
      } else resolve(stdout);
    });
    if (input !== undefined) child.stdin.end(input);
  });
}

/** `ip` inside namespace `ns` (the host namespace when ns is undefined). */
export const ip = (ns, ...args) => run('ip', ns ? ['-n', ns, ...args] : args);

/**
 * Several `ip` commands inside namespace `ns` in one process (`ip -batch`): a network change lands in a few
 * milliseconds instead of one process start per step.
 */
export const ipBatch = (ns, lines) => run('ip', ['-n', ns, '-batch', '-'], { input: `${lines.join('\n')}\n` });

/** Loads an nftables ruleset (the text of an `nft -f` file) into namespace `ns`. */
export const nft = (ns, ruleset) => run('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: ruleset });

/** A sysctl inside namespace `ns`. */
export const sysctl = (ns, key, value) => run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `${key}=${value}`]);
