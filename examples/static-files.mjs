// Serves files from a few folders of this repository, read-only, for the examples (no directory listings, nothing
// outside the mounted folders).
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Returns a handler that answers GET requests under `urlPrefix` from `folder` (relative to the repo root), or
 * returns false when the request is not its business.
 */
export function staticFolder(urlPrefix, folder) {
  const base = join(repoRoot, folder);
  return async (request, response, pathname) => {
    if (request.method !== 'GET' || !pathname.startsWith(urlPrefix)) return false;
    let relative = pathname.slice(urlPrefix.length);
    if (relative === '' || relative.endsWith('/')) relative += 'index.html';
    const path = normalize(join(base, decodeURIComponent(relative)));
    if (!path.startsWith(base + sep) || !TYPES[extname(path)]) return false;
    try {
      const body = await readFile(path);
      response.writeHead(200, { 'content-type': TYPES[extname(path)], 'cache-control': 'no-store' });
      response.end(body);
      return true;
    } catch {
      return false;
    }
  };
}
