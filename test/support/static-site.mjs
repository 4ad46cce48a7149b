// A loopback HTTP server of a few static folders, for the tests that load the built bundle into a real browser.
import { createServer } from 'node:http';
import { staticFolder } from '../../examples/static-files.mjs';

/** The built bundle under /dist/ and the test pages of test/fixtures at the root. */
export const bundleAndFixtures = () => [staticFolder('/dist/', 'dist'), staticFolder('/', 'test/fixtures')];

/**
 * Serves `routes` (tried in order; see examples/static-files.mjs) on 127.0.0.1 and a free port, with `headers` on
 * every answer. The server gets `origin` and a `stop()` that resolves once it is closed.
 */
export async function serveStatic(routes, { headers = {} } = {}) {
  const server = createServer(async (request, response) => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    for (const route of routes) if (await route(request, response, pathname)) return;
    response.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.origin = `http://127.0.0.1:${server.address().port}`;
  server.stop = () => new Promise((resolve) => server.close(resolve));
  return server;
}
