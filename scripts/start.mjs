// `npm start`: builds what the demo needs when it is missing or stale, then serves the demo, the bundle and the
// signaling endpoint on one port. Environment: PORT (8787), HOST (127.0.0.1), REDIS_URL (passed through).
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fromRoot = (...parts) => join(root, ...parts);

const OUTPUTS = ['dist/p2p-call.min.js', 'dist/server/index.js'];
const SOURCES = ['src', 'server'];

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
};

/** Newest modification time of any source file under `dir` (0 when the directory is absent); a `dist` folder in
 * it is build output (server/dist, the server package's copy of the build), not a source. */
const newestIn = (dir) => {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = entry.name === 'dist' ? newest : Math.max(newest, newestIn(path));
    else if (entry.isFile()) newest = Math.max(newest, mtime(path) ?? 0);
  }
  return newest;
};

const needsBuild = () => {
  const outputTimes = OUTPUTS.map((file) => mtime(fromRoot(file)));
  if (outputTimes.some((time) => time === undefined)) return true;
  const oldestOutput = Math.min(...outputTimes);
  return SOURCES.some((dir) => newestIn(fromRoot(dir)) > oldestOutput);
};

const run = (command, args) =>
  new Promise((resolve, reject) => {
    // npm is npm.cmd on Windows; a shell finds either.
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });

if (needsBuild()) {
  console.log('p2p-call: building (dist/ is missing or older than src/ or server/)...');
  try {
    await run('npm', ['run', 'build']);
  } catch (error) {
    console.error(`p2p-call: ${error.message}`);
    process.exit(1);
  }
}

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`p2p-call: invalid PORT ${process.env.PORT}`);
  process.exit(2);
}
const host = process.env.HOST || '127.0.0.1';

const { startSignalingServer } = await import('../dist/server/index.js');

let server;
try {
  server = await startSignalingServer({
    port,
    host,
    // The demo joins without a token: the server runs open (anyone who can reach it may join a room).
    open: true,
    redisUrl: process.env.REDIS_URL || undefined,
    // Only what a page loads: the demo, the entry bundle and its chunks. Not the rest of dist/ (the server's own
    // code, type declarations) and no source maps.
    staticMounts: {
      '/': fromRoot('demo'),
      '/dist/p2p-call.min.js': fromRoot('dist/p2p-call.min.js'),
      '/dist/min/': { dir: fromRoot('dist/min'), extensions: ['.js'] },
    },
  });
} catch (error) {
  const hint = error?.code === 'EADDRINUSE' ? ` (port ${port} is taken: try PORT=${port + 1} npm start)` : '';
  console.error(`p2p-call: could not start the server: ${error?.message ?? error}${hint}`);
  process.exit(1);
}

const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost' || host === '0.0.0.0' || host === '::';
const shownHost = loopback ? 'localhost' : host.includes(':') ? `[${host}]` : host;
console.log(
  `p2p-call demo: http://${shownHost}:${server.port}/  (open it in two tabs; open mode: no join token needed)`,
);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  setTimeout(() => process.exit(1), 5000).unref();
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', () => shutdown());
process.once('SIGTERM', () => shutdown());
