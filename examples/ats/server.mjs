// `npm run example:ats`: a toy applicant-tracking system on loopback (PORT, default 8790). It serves its pages and
// its own live channel (live-channel.mjs); the call's signaling rides on that channel through CallbackSignaling.
// It does not use p2p-call's signaling server. Needs `npm run build` first (it serves dist/p2p-call.min.js).
import { createServer } from 'node:http';
import { staticFolder } from '../static-files.mjs';
import { LiveChannel } from './live-channel.mjs';

const routes = [staticFolder('/dist/', 'dist'), staticFolder('/', 'examples/ats/public')];

/** Starts the ATS; resolves with its URL, the live channel (for its counters) and a close(). */
export function startAts({ port = 8790, host = '127.0.0.1' } = {}) {
  const live = new LiveChannel();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/live' && request.method === 'GET')
      return live.subscribe(request, response, url.searchParams.get('interview'));
    if (url.pathname === '/live' && request.method === 'POST') return live.publish(request, response);
    if (url.pathname === '/candidate') url.pathname = '/candidate.html';
    for (const route of routes) if (await route(request, response, url.pathname)) return;
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
  });
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}`,
        live,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(done))),
      });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startAts({ port: Number(process.env.PORT ?? 8790), host: process.env.HOST });
  console.log(`ATS example: interviewer ${url}/ · candidate ${url}/candidate?interview=4711`);
}
