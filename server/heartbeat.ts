/**
 * Ping/pong liveness. A laptop that sleeps or loses its network leaves a socket that looks open for minutes; without
 * a heartbeat its seat would stay taken and the other person could not be joined by anyone else.
 */
import type { WebSocket } from 'ws';

export interface Heartbeat {
  /** Starts watching a newly accepted socket. */
  watch(socket: WebSocket): void;
  stop(): void;
}

export function startHeartbeat(sockets: Set<WebSocket>, intervalMs: number, onDead: () => void = () => {}): Heartbeat {
  const alive = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const socket of sockets) {
      if (!alive.has(socket)) {
        onDead();
        // terminate() skips the closing handshake a dead peer would never answer; the socket's 'close' then frees the seat.
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();

  return {
    watch(socket) {
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
