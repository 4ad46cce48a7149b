// A free TCP port on loopback, for servers the tests, the bench and the lab start (signaling processes, redis-server,
// coturn, a browser's remote-debugging bridge).
import { createServer } from 'node:net';

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
