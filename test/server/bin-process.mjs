// The `p2p-call-server` bin as a real child process, for tests that need the server in a process of its own: one
// that may die (and must not), or one that runs as an unprivileged user.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/server/bin.js', import.meta.url));

/**
 * Starts the bin; resolves once it logged `listening`, with the child, its port and all stdout lines so far.
 * `user` (e.g. 'nobody') runs it as that user through setpriv, when the tests run as root.
 */
export async function startBin(args = [], env = {}, { user } = {}) {
  const command = [process.execPath, BIN, '--host', '127.0.0.1', ...args];
  const asUser =
    user && process.getuid?.() === 0
      ? ['setpriv', `--reuid=${user}`, `--regid=${user === 'nobody' ? 'nogroup' : user}`, '--clear-groups']
      : [];
  const [file, ...rest] = [...asUser, ...command];
  const child = spawn(file, rest, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const port = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const line of parts) {
        lines.push(line);
        const entry = JSON.parse(line);
        if (entry.event === 'listening') resolve(entry.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`bin exited with ${code}: ${stderr}`)));
    setTimeout(() => reject(new Error(`bin did not start: ${stderr}`)), 20_000).unref();
  });
  return { child, port, lines, stderr: () => stderr };
}
