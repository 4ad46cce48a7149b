// Our signaling server with its per-socket rate limit lifted, for measuring how many frames its relay can move
// (the shipped limit of 50 frames/s per socket would otherwise be what gets measured). Everything else - parsing,
// validation, rooms, the relay itself - is the shipped code. Usage: node bench/servers/signaling-unlimited.mjs DIST_SERVER_DIR
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? 'dist/server');
const { startSignalingServer } = await import(pathToFileURL(join(dir, 'index.js')).href);
const server = await startSignalingServer({
  port: 0,
  host: '127.0.0.1',
  open: true,
  maxConnectionsPerIp: 10_000,
  rateLimit: { perSecond: 1_000_000_000, burst: 1_000_000_000, maxDropped: 1_000_000_000 },
  log: (event, fields) => {
    if (event === 'listening') process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
  },
});
process.once('SIGTERM', () => server.close().then(() => process.exit(0)));
