/**
 * A small static file handler for the demo and the built bundle; refuses anything outside its roots.
 *
 * Nothing a request meets on disk may take the process down: the file is opened (and checked through the open
 * descriptor) before any header is sent, so a file that is missing, unreadable, a directory or a FIFO is a 404, and
 * one that is deleted or replaced after that is still read whole from the descriptor. Errors while streaming end
 * that one response, never the process.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
};

/** A directory, and optionally the only file extensions (e.g. `['.js']`) served from it. */
export interface StaticMount {
  dir: string;
  extensions?: readonly string[];
}

/**
 * URL prefix -> directory (or file, for a prefix without a trailing `/`, served at exactly that path). The longest
 * matching prefix wins; a prefix only matches whole path segments (`/dist` serves `/dist/x`, never `/distx`).
 */
export type StaticMounts = Record<string, string | StaticMount>;

export interface StaticHandlerOptions {
  /** Extra headers on every file served (the server's Content-Security-Policy for pages). */
  headers?: OutgoingHttpHeaders;
  /** A file exists but the process may not read it (EACCES, EPERM): answered 404, reported here for the log. */
  onUnreadable?: (code: string) => void;
}

/** Errors that mean "there is no file to serve here". */
const NOT_SERVABLE = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'EACCES', 'EPERM']);
/** Non-blocking, so a FIFO placed in a served folder cannot hold a thread of the file system pool forever. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

interface OpenFile {
  handle: FileHandle;
  path: string;
  size: number;
}

export function createStaticHandler(mounts: StaticMounts, options: StaticHandlerOptions = {}) {
  const entries = Object.entries(mounts)
    .map(([prefix, mount]) => {
      const { dir, extensions } = typeof mount === 'string' ? { dir: mount, extensions: undefined } : mount;
      return { prefix, root: resolve(dir), extensions };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);

  return async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const pathname = decodeSafely(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (pathname === undefined) return false;
    for (const { prefix, root, extensions } of entries) {
      const rest = underPrefix(pathname, prefix);
      if (rest === undefined) continue;
      const path = normalize(join(root, rest));
      if (path !== root && !path.startsWith(root + sep)) return false;
      const file = await openServable(path, options);
      if (!file) continue;
      if (extensions && !extensions.includes(extname(file.path))) {
        await file.handle.close();
        continue;
      }
      await send(request, response, file, options.headers);
      return true;
    }
    return false;
  };
}

/** The part of `pathname` under `prefix`, or undefined when the prefix does not cover it. */
function underPrefix(pathname: string, prefix: string): string | undefined {
  if (!pathname.startsWith(prefix)) return undefined;
  const rest = pathname.slice(prefix.length);
  return prefix.endsWith('/') || rest === '' || rest.startsWith('/') ? rest : undefined;
}

/** Opens a regular file (a directory's index.html for a directory); undefined when there is none to serve. */
async function openServable(
  path: string,
  options: StaticHandlerOptions,
  isIndex = false,
): Promise<OpenFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!NOT_SERVABLE.has(code)) throw error;
    if (code === 'EACCES' || code === 'EPERM') options.onUnreadable?.(code);
    return undefined;
  }
  try {
    // What is checked is the open descriptor, so nothing can be swapped in between the check and the read.
    const info = await handle.stat();
    if (info.isFile()) return { handle, path, size: info.size };
    await handle.close();
    return info.isDirectory() && !isIndex ? openServable(join(path, 'index.html'), options, true) : undefined;
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

async function send(
  request: IncomingMessage,
  response: ServerResponse,
  { handle, path, size }: OpenFile,
  headers: OutgoingHttpHeaders = {},
): Promise<void> {
  response.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (request.method === 'HEAD' || size === 0) {
    await handle.close();
    response.end();
    return;
  }
  // The stream closes the descriptor when it ends or fails. A failure (the client left, the disk failed, the file
  // shrank) destroys the response: the client sees a cut connection, never a short body passed off as the file.
  await pipeline(handle.createReadStream({ start: 0, end: size - 1 }), exactly(size), response).catch(() => {});
}

/** Passes the bytes through, and fails the pipeline if they were fewer than the Content-Length promised. */
function exactly(size: number) {
  return async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let sent = 0;
    for await (const chunk of source) {
      sent += chunk.length;
      yield chunk;
    }
    if (sent !== size) throw new Error('The file shrank while it was being sent.');
  };
}

function decodeSafely(path: string): string | undefined {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}
