/**
 * p2p-call-server [--port N] [--host H] [--static DIR]
 * Runs the signaling server; PORT and HOST from the environment are honoured too.
 */
import { parseArgs } from 'node:util';
import { startSignalingServer } from './signaling-server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    static: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  process.stdout.write('Usage: p2p-call-server [--port 8787] [--host 127.0.0.1] [--static /=./public]\n');
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`Invalid port: ${values.port}\n`);
  process.exit(2);
}

const staticMounts = Object.fromEntries(
  (values.static ?? []).map((mount) => {
    const [prefix, dir] = mount.includes('=') ? mount.split('=', 2) : ['/', mount];
    return [prefix, dir];
  }),
);

const server = await startSignalingServer({ port, host: values.host, staticMounts });
const shutdown = () => {
  void server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(1), 5000).unref();
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
