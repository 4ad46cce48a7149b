// A user-space impaired network for the bench (no root, no kernel modules): a UDP relay on loopback placed between
// the browsers' TURN clients and a TURN server. Each call side gets its own listening port, given to that side as its
// TURN server's address; every datagram between that side and the TURN server crosses the side's impaired path, `up`
// (side -> TURN server) and `down` (TURN server -> side), see impair/impaired-path.mjs. With a relay-only ICE policy
// on both peers, all media between them goes A -> relay(a, up) -> TURN -> TURN -> relay(b, down) -> B, so impairing
// only the `up` path of each side gives each direction of the call the profile exactly once.
//
//   const relay = await startImpairRelay({ target: { address: '127.0.0.1', port: turnPort }, sides: ['a', 'b'] });
//   relay.configure({ a: { up: { delayMs: 20, loss: { model: 'random', rate: 0.01 } } }, b: { up: { ... } } });
//   relay.ports.a  // -> turn:127.0.0.1:<port>
//   relay.stats()  // per side and direction: packets, lost, queueDropped, mean added delay
//   await relay.close();
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { createImpairedPath, isTransparent } from './impair/impaired-path.mjs';

const bind = (socket, port = 0) =>
  new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });

/** Holds packets until their release time, then sends them; one timer for the earliest. */
function createReleaseQueue() {
  const queue = []; // [releaseAt, send], ordered by releaseAt
  let timer;
  let armedFor = Infinity;
  // How late packets actually left against their release time (a busy event loop or machine delays the timer).
  const lateness = { count: 0, totalMs: 0, maxMs: 0 };
  const run = () => {
    timer = undefined;
    armedFor = Infinity;
    // Node's timers have millisecond granularity: send whatever is due within half a millisecond.
    const now = performance.now();
    while (queue.length && queue[0][0] <= now + 0.5) {
      const [releaseAt, send] = queue.shift();
      const late = Math.max(0, now - releaseAt);
      lateness.count++;
      lateness.totalMs += late;
      lateness.maxMs = Math.max(lateness.maxMs, late);
      send();
    }
    arm();
  };
  const arm = () => {
    if (!queue.length || queue[0][0] >= armedFor) return;
    clearTimeout(timer);
    armedFor = queue[0][0];
    timer = setTimeout(run, Math.max(0, armedFor - performance.now()));
  };
  return {
    lateness,
    push(releaseAt, send) {
      // Ordered insert from the back: without reordering, release times only grow, so this is an append.
      let index = queue.length;
      while (index > 0 && queue[index - 1][0] > releaseAt) index--;
      queue.splice(index, 0, [releaseAt, send]);
      arm();
    },
    clear() {
      clearTimeout(timer);
      timer = undefined;
      armedFor = Infinity;
      queue.length = 0;
    },
  };
}

/** A path plus its release queue: `forward(size, send)` drops, sends at once, or schedules. */
function createLane(config, seed) {
  const path = createImpairedPath(config, { seed });
  const transparent = isTransparent(config);
  const queue = createReleaseQueue();
  return {
    path,
    queue,
    forward(size, send) {
      if (transparent) {
        path.stats.packets++;
        path.stats.bytes += size;
        path.stats.delivered++;
        send();
        return;
      }
      const result = path.admit(performance.now(), size);
      if (result.releaseAt !== undefined) queue.push(result.releaseAt, send);
    },
  };
}

export async function startImpairRelay({ target, sides = ['a', 'b'], seed = 1 }) {
  const listeners = {};
  const ports = {};
  const sessions = new Map(); // "side address:port" -> upstream socket towards the target
  let lanes = {};

  /** New paths for every side (fresh state; `seed` varies the loss and jitter draws between calls). */
  const configure = (profile = {}, { seed: callSeed = seed } = {}) => {
    for (const lane of Object.values(lanes).flatMap((side) => Object.values(side))) lane.queue.clear();
    for (const upstream of sessions.values()) upstream.close();
    sessions.clear();
    lanes = Object.fromEntries(
      sides.map((side, index) => [
        side,
        {
          up: createLane(profile[side]?.up, callSeed * 16 + index * 2),
          down: createLane(profile[side]?.down, callSeed * 16 + index * 2 + 1),
        },
      ]),
    );
  };
  configure();

  for (const side of sides) {
    const listener = dgram.createSocket('udp4');
    listeners[side] = listener;
    ports[side] = await bind(listener);
    listener.on('message', (message, client) => {
      const key = `${side} ${client.address}:${client.port}`;
      let upstream = sessions.get(key);
      if (!upstream) {
        upstream = dgram.createSocket('udp4');
        sessions.set(key, upstream);
        const lanesNow = lanes;
        upstream.on('message', (reply) =>
          lanesNow[side].down.forward(reply.length, () => listener.send(reply, client.port, client.address)),
        );
        upstream.on('error', () => {});
        upstream.bind(0, '127.0.0.1');
      }
      const socket = upstream;
      lanes[side].up.forward(message.length, () => {
        // A configure() in between closes the session: its packets in flight go nowhere.
        if (sessions.get(key) === socket) socket.send(message, target.port, target.address);
      });
    });
    listener.on('error', () => {});
  }

  return {
    ports,
    configure,
    /** Counters of every side and direction since the last configure(). */
    stats() {
      return Object.fromEntries(
        Object.entries(lanes).map(([side, { up, down }]) => [side, { up: summary(up), down: summary(down) }]),
      );
    },
    async close() {
      configure();
      for (const listener of Object.values(listeners)) listener.close();
    },
  };
}

function summary({ path, queue }) {
  const { packets, bytes, lost, queueDropped, delivered, queueDelayMsTotal, delayMsTotal } = path.stats;
  const { lateness } = queue;
  return {
    lateMs: lateness.count ? lateness.totalMs / lateness.count : 0,
    maxLateMs: lateness.maxMs,
    packets,
    bytes,
    lost,
    queueDropped,
    lossRate: packets ? (lost + queueDropped) / packets : 0,
    meanDelayMs: delivered ? delayMsTotal / delivered : 0,
    meanQueueDelayMs: delivered ? queueDelayMsTotal / delivered : 0,
  };
}
