// Serves the bench page and the built bundle from loopback, cross-origin isolated (COOP + COEP), so that
// performance.now() in the page ticks in 5 µs steps instead of 100 µs: a sub-millisecond echo round trip needs it.
// The files are served by the project's own static handler (server/static-files.ts); this only adds the two headers.
// The signaling server runs separately (its WebSocket needs no isolation headers).
import { createServer } from 'node:http';

/** `createStaticHandler` from the built server; mounts: URL prefix -> directory. Resolves to { origin, close() }. */
export async function startPageServer(createStaticHandler, mounts) {
  const serveStatic = createStaticHandler(mounts);
  const server = createServer(async (request, response) => {
    response.setHeader('cross-origin-opener-policy', 'same-origin');
    response.setHeader('cross-origin-embedder-policy', 'require-corp');
    if (!(await serveStatic(request, response))) response.writeHead(404).end();
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}
