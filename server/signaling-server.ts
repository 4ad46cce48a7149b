/**
 * The reference signaling server: HTTP for the demo and the bundle, WebSocket signaling at /signal, one port.
 * It introduces two peers and relays their negotiation; media never passes through it.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { resolveConfig, type SignalingServerOptions } from './config.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { startHeartbeat } from './heartbeat.js';
import { jsonLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { MemoryDirectory } from './memory-directory.js';
import { ClientSocket } from './client-socket.js';
import { startRedisDirectory, type RedisDirectory } from './redis-directory.js';
import type { RoomDirectory } from './room-directory.js';
import { headerLines, securityHeaders } from './security-headers.js';
import { createStaticHandler } from './static-files.js';
import { TurnIssuer } from './turn-issuer.js';
import { createUpgradeGate, SIGNAL_PATH } from './upgrade-gate.js';

export { SIGNAL_PATH };
export type { SignalingServerOptions };

export interface SignalingServerStats {
  /** Open WebSocket connections. */
  connections: number;
  /** Rooms with at least one member connected to this process. */
  rooms: number;
  /** Redis mode only: whether the backplane is reachable and this process holds its lease. */
  redisUp?: boolean;
  /** Frames read from clients since start (valid or not). */
  received: number;
  /** Signals relayed since start. */
  relayed: number;
  /** Inbound frames refused or dropped, by reason (the error code sent back, or e.g. `too-large`). */
  rejected: Record<string, number>;
  /** WebSocket upgrades refused before a socket existed, by reason (`bad-token`, `origin`, ...). */
  refused: Record<string, number>;
  /** TURN credentials at joins, by outcome (`minted`, `reused`, `rate-limited`, `no-token`). */
  turnCredentials: Record<string, number>;
}

export interface SignalingServer {
  readonly http: Server;
  readonly port: number;
  /** ws://host:port/signal */
  readonly url: string;
  /**
   * Stops accepting, lets sockets still negotiating finish (up to `drainTimeoutMs`), closes every socket with 1001
   * (clients reconnect, through the load balancer to another process), and resolves once all are gone.
   */
  close(): Promise<void>;
  stats(): SignalingServerStats;
}

/**
 * Starts the server. Throws a `ConfigError` (before binding anything) when neither `secret` nor `open: true` is
 * given: a server that anyone could use to broker calls is never the silent default.
 */
export async function startSignalingServer(options: SignalingServerOptions = {}): Promise<SignalingServer> {
  const config = resolveConfig(options);
  const log = options.log ?? jsonLogger;
  const metrics = new Metrics();
  const connections = new Map<WebSocket, ClientSocket>();
  let nextConn = 1;
  const redis: RedisDirectory | undefined = config.redis
    ? await startRedisDirectory({
        config: config.redis,
        log,
        metrics,
        // Other processes may have deleted our seats meanwhile: every socket here must rejoin (1012: restart).
        onLeaseLost: () => {
          for (const socket of connections.keys()) socket.close(1012, 'rejoin');
        },
      })
    : undefined;
  const directory: RoomDirectory = redis ?? new MemoryDirectory();
  const limiter = new ConnectionLimiter(config.maxConnectionsPerIp, config.maxConnections);
  const headers = securityHeaders(config);
  const serveStatic = config.staticMounts
    ? createStaticHandler(config.staticMounts, {
        headers: headers.files,
        onUnreadable: (code) => log('static-unreadable', { level: 'warn', code }),
      })
    : undefined;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxPayload });
  const heartbeat = startHeartbeat(wss.clients, config.heartbeatIntervalMs, () => {
    metrics.heartbeatTerminations += 1;
  });
  let draining = false;
  const admit = createUpgradeGate(config, limiter, () => draining);
  const context = {
    directory,
    log,
    metrics,
    rateLimit: config.rateLimit,
    maxRooms: config.maxRooms,
    turn: config.turn && new TurnIssuer(config.turn),
  };
  const gauges = () => ({ connections: wss.clients.size, rooms: directory.localRoomCount, redisUp: redis?.up });

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    for (const [name, value] of Object.entries(headers.common)) response.setHeader(name, value);
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/healthz') {
      // During shutdown the listener is closed at once; connections a proxy keeps alive are told 503.
      response.writeHead(draining ? 503 : 200, { 'content-type': 'text/plain' }).end(draining ? 'draining\n' : 'ok\n');
    } else if (pathname === '/metrics' && config.metrics) {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics.render(gauges()));
    } else if (!(await serveStatic?.(request, response))) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };

  // Tight header/request timeouts: a client that trickles its upgrade request must not hold a slot for minutes.
  const http = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log('http-error', { level: 'error', error: (error as NodeJS.ErrnoException)?.code ?? typeof error });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
      else response.destroy();
    });
  });
  // Malformed HTTP gets a bare 400 from Node; make sure a broken socket can never surface as an uncaught error.
  http.on('clientError', (_error, socket) => socket.destroy());

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    admit(request, socket)
      .then((admission) => {
        if (!admission.ok) {
          metrics.refuse(admission.reason);
          log('upgrade-refused', { reason: admission.reason, status: admission.status });
          refuse(socket, admission.status, headers.common);
          return;
        }
        if (socket.destroyed) return;
        // The token check is asynchronous: a shutdown may have begun while it ran.
        if (draining) {
          metrics.refuse('draining');
          refuse(socket, 503, headers.common);
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => {
          heartbeat.watch(ws);
          connections.set(ws, new ClientSocket(ws, context, nextConn++, admission.grant, admission.address));
          ws.once('close', () => connections.delete(ws));
        });
      })
      .catch(() => refuse(socket, 500, headers.common));
  });
  wss.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    http.once('error', (error) => {
      void directory.close();
      reject(error);
    });
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (error: Error) => log('http-error', { level: 'error', error: error.name }));
  const { port } = http.address() as AddressInfo;
  // The warnings come before `listening`, so no one can start using the server without having seen them.
  if (config.open) {
    log('open-mode', {
      level: 'warn',
      message:
        'OPEN MODE: no join token is required and any origin may connect; anyone who can reach this server can ' +
        'join any room. Use only for local demos and tests; set P2P_CALL_SECRET for production.',
    });
  } else if (!config.allowedOrigins) {
    log('origins-unrestricted', {
      level: 'warn',
      message: 'No origin allowlist: pages on any site holding a valid token may connect (P2P_CALL_ALLOWED_ORIGINS).',
    });
  }
  if (config.turn?.openSeats) {
    log('turn-open-mode', {
      level: 'warn',
      message:
        'TURN IN OPEN MODE: seats taken without a join token get TURN credentials too, so anyone who can reach ' +
        `this server can relay through your TURN server (${config.turn.burst} credentials per client address, then ` +
        `one per ${config.turn.refillSeconds} s). Use only for demos and tests.`,
    });
  }
  log('listening', {
    port,
    mode: config.token ? (config.open ? 'open+token' : 'token') : 'open',
    rooms: redis ? 'redis' : 'memory',
    turn: Boolean(config.turn),
  });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      heartbeat.stop();
      log('shutting-down', { connections: wss.clients.size });
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await drain(connections, config.drainTimeoutMs);
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await waitUntil(() => wss.clients.size === 0, config.shutdownTimeoutMs);
      for (const client of wss.clients) client.terminate();
      await waitUntil(() => wss.clients.size === 0, 1000);
      wss.close();
      http.closeAllConnections();
      await stopped;
      // After the sockets: their leaves must reach Redis before the connection to it goes.
      await directory.close();
      log('stopped', {});
    })());

  return {
    http,
    port,
    url: `ws://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}${SIGNAL_PATH}`,
    stats: () => ({
      ...gauges(),
      received: metrics.received,
      relayed: metrics.relayed,
      rejected: Object.fromEntries(metrics.rejected),
      refused: Object.fromEntries(metrics.refused),
      turnCredentials: Object.fromEntries(metrics.turnCredentials),
    }),
    close,
  };
}

/** A socket with no signal for this long is not in the middle of a negotiation. */
const NEGOTIATION_QUIET_MS = 500;

/**
 * Closes (1001) each socket once it has been quiet for a moment, so an offer/answer exchange in flight is not cut in
 * half; whatever is still busy at the deadline is left to the caller.
 */
async function drain(connections: Map<WebSocket, ClientSocket>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const quietMs = Math.min(NEGOTIATION_QUIET_MS, timeoutMs);
  for (;;) {
    const now = Date.now();
    for (const [socket, connection] of connections) {
      if (connection.idleFor(now) >= quietMs && socket.readyState === socket.OPEN) {
        socket.close(1001, 'server shutting down');
      }
    }
    const busy = [...connections.keys()].some((socket) => socket.readyState === socket.OPEN);
    if (!busy || now >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Refuses an upgrade with a bare status line and the security headers: no body, no hint about which check failed. */
function refuse(socket: Duplex, status: number, headers: Record<string, string>): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n${headerLines(headers)}\r\n`,
  );
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
