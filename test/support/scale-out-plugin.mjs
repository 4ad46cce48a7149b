// Test-runner plugin for the scale-out browser test: a real redis-server, three signaling processes (in-process
// instances) sharing rooms through it, and a one-line TCP "load balancer" in front of two of them, so a page keeps
// one signaling URL while the process behind it is stopped and another takes over. Started on first use only.
// Commands: `scale-out-urls` -> {direct, balanced}, `scale-out-metrics` -> {a, b, c} Prometheus texts,
// `scale-out-fail-over` -> drains the process behind the balancer and points the balancer at the next one.
import { createServer, connect } from 'node:net';
import { startSignalingServer, silentLogger } from '../../dist/server/index.js';
import { startRedis } from '../server/redis-harness.mjs';

/** Forwards every TCP connection to the current target port; a retarget only affects new connections. */
async function startBalancer(initialTarget) {
  let target = initialTarget;
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    retarget(port) {
      target = port;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function scaleOutServers() {
  let started;
  const start = async () => {
    const redis = await startRedis();
    const options = { port: 0, host: '127.0.0.1', open: true, log: silentLogger, redisUrl: redis.url };
    const [a, b, c] = [
      await startSignalingServer(options),
      await startSignalingServer(options),
      await startSignalingServer(options),
    ];
    const balancer = await startBalancer(b.port);
    return { redis, servers: { a, b, c }, balancer, running: new Set([a, b, c]) };
  };
  return {
    name: 'scale-out-servers',
    async serverStop() {
      if (!started) return;
      const { redis, running, balancer } = await started;
      await balancer.close();
      await Promise.all([...running].map((server) => server.close()));
      await redis.stop();
    },
    async executeCommand({ command }) {
      if (!command.startsWith('scale-out-')) return undefined;
      started ??= start();
      const { servers, balancer, running } = await started;
      if (command === 'scale-out-urls') {
        return { direct: servers.a.url, balanced: `ws://127.0.0.1:${balancer.port}/signal` };
      }
      if (command === 'scale-out-metrics') {
        const text = async (server) =>
          running.has(server) ? (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text() : '';
        return { a: await text(servers.a), b: await text(servers.b), c: await text(servers.c) };
      }
      if (command === 'scale-out-fail-over') {
        // New connections go to c from now on; b drains (its clients get 1001) and stops, as on a rolling deploy.
        balancer.retarget(servers.c.port);
        running.delete(servers.b);
        await servers.b.close();
        return true;
      }
      return undefined;
    },
  };
}
