/**
 * The reference signaling server: HTTP for the demo and the bundle, WebSocket signaling at /signal, one port.
 * It introduces two peers and relays their negotiation; media never passes through it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { jsonLogger, type Logger } from './logger.js';
import { PeerConnection } from './peer-connection.js';
import { RoomRegistry } from './room-registry.js';
import { createStaticHandler, type StaticMounts } from './static-files.js';

export interface SignalingServerOptions {
  port?: number;
  host?: string;
  /** URL prefix -> directory to serve over HTTP (the demo, dist/). Nothing is served when omitted. */
  staticMounts?: StaticMounts;
  /** Largest accepted WebSocket frame, in bytes. */
  maxPayload?: number;
  log?: Logger;
}

export interface SignalingServer {
  readonly http: Server;
  readonly port: number;
  /** ws://host:port/signal */
  readonly url: string;
  close(): Promise<void>;
  stats(): { connections: number; rooms: number; rejected: Record<string, number> };
}

export const SIGNAL_PATH = '/signal';

export async function startSignalingServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  const log = options.log ?? jsonLogger;
  const rooms = new RoomRegistry<PeerConnection>();
  const rejected: Record<string, number> = {};
  const serveStatic = options.staticMounts ? createStaticHandler(options.staticMounts) : undefined;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 64 * 1024 });

  const http = createServer((request, response) => {
    void (async () => {
      if (request.url === '/healthz') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (!(await serveStatic?.(request, response))) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      }
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  http.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname !== SIGNAL_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      new PeerConnection(ws, rooms, log, (reason) => {
        rejected[reason] = (rejected[reason] ?? 0) + 1;
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  log('listening', { port });

  return {
    http,
    port,
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${port}${SIGNAL_PATH}`,
    stats: () => ({ connections: wss.clients.size, rooms: rooms.roomCount, rejected: { ...rejected } }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
