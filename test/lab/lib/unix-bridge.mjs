// Run inside a client namespace: accepts connections on a Unix socket (a file, visible from every namespace) and
// pipes each one to a TCP port on that namespace's own loopback. The lab drives Firefox through it: Firefox's
// WebDriver BiDi port listens on the namespace's loopback, which the lab's own (host) namespace cannot reach.
// Usage: node unix-bridge.mjs <socket path> <tcp port>
import { createConnection, createServer } from 'node:net';

const [socketPath, port] = process.argv.slice(2);
const server = createServer((client) => {
  const upstream = createConnection({ host: '127.0.0.1', port: Number(port) });
  client.pipe(upstream).pipe(client);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', close);
  upstream.on('error', close);
});
server.listen(socketPath, () => process.stdout.write('bridge-ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
