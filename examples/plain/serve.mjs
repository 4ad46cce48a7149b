// `npm run example:plain`: serves examples/plain/ and the built bundle on loopback (PORT, default 8788).
import { createServer } from 'node:http';
import { staticFolder } from '../static-files.mjs';

const routes = [staticFolder('/dist/', 'dist'), staticFolder('/', 'examples/plain')];

/** Starts the example's static server; resolves with its URL and a close(). */
export function startPlainExample({ port = 8788, host = '127.0.0.1' } = {}) {
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    for (const route of routes) if (await route(request, response, pathname)) return;
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ url: `http://${host}:${actual}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startPlainExample({ port: Number(process.env.PORT ?? 8788), host: process.env.HOST });
  console.log(`plain example: ${url}/ (open it in two tabs; needs npm run build first)`);
}
