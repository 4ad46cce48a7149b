// One direction of an impaired network path, as pure timing logic (the caller owns the clock and the sockets):
// each packet is first subject to loss, then to a rate-limited bottleneck (a token bucket feeding a drop-tail
// queue), then to a propagation delay with jitter. `admit()` says when the packet leaves the path, or why it never
// does.
//
//   delayMs          one-way base delay
//   jitterMs         standard deviation of the delay around delayMs. The delay drifts smoothly in time: a new random
//                    value every `jitterPeriodMs` (default 4 × jitterMs, at least 20 ms), linearly interpolated in
//                    between. So the packets of one video frame see nearly the same delay, as behind one queue, and
//                    the delay rarely falls faster than time passes: packets keep their order without being held
//                    back, and the mean delay stays delayMs (independent draws per packet would either reorder
//                    packets or, held in order, raise the mean by a good part of the jitter)
//   reorder          false (default): a packet never leaves before the one admitted before it (FIFO, as on one link);
//                    true: each keeps its own delay
//   loss             see loss-model.mjs
//   rateKbps         bottleneck capacity in kbit/s, counting 28 bytes of IPv4 + UDP header per packet
//   burstBytes       token bucket depth (default: 10 ms at the rate, at least one 1500-byte packet)
//   queueMs          drop-tail queue in front of the bottleneck, as time at the rate (default 250 ms)
import { createLossModel } from './loss-model.mjs';
import { normal, seededRandom } from './random.mjs';

const HEADER_BYTES = 28;

export function createImpairedPath(config = {}, { seed = 1 } = {}) {
  const {
    delayMs = 0,
    jitterMs = 0,
    jitterPeriodMs = Math.max(20, 4 * (config.jitterMs ?? 0)),
    reorder = false,
    loss,
    rateKbps,
    burstBytes,
    queueMs = 250,
  } = config;
  const random = seededRandom(seed);
  const lose = createLossModel(loss, random);
  const bytesPerMs = rateKbps ? (rateKbps * 1000) / 8 / 1000 : 0;
  const bucketBytes = bytesPerMs ? (burstBytes ?? Math.max(1500, bytesPerMs * 10)) : 0;
  const queueLimitBytes = bytesPerMs * queueMs;

  const stats = { packets: 0, bytes: 0, lost: 0, queueDropped: 0, delivered: 0, queueDelayMsTotal: 0, delayMsTotal: 0 };
  let tokens = bucketBytes;
  let lastDeparture = -Infinity; // when the bottleneck last sent a packet
  const backlog = []; // [departure time, bytes] of packets still waiting in the queue at the last arrival
  let backlogBytes = 0;
  // The drifting part of the delay: waypoints [time, value] drawn every jitterPeriodMs. Linear interpolation between
  // independent draws has 2/3 of their variance on average, hence the scale.
  const waypointSd = jitterMs * Math.sqrt(1.5);
  let from = [-Infinity, 0];
  let to = [-Infinity, 0];
  let lastRelease = -Infinity;

  /** Time through the bottleneck; undefined when its queue is full. */
  function bottleneck(now, bytes) {
    if (!bytesPerMs) return now;
    while (backlog.length && backlog[0][0] <= now) backlogBytes -= backlog.shift()[1];
    if (backlogBytes + bytes > queueLimitBytes) return undefined;
    const start = Math.max(now, lastDeparture);
    const available = Math.min(
      bucketBytes,
      tokens + (lastDeparture === -Infinity ? Infinity : (start - lastDeparture) * bytesPerMs),
    );
    let departure = start;
    if (available >= bytes) tokens = available - bytes;
    else {
      departure = start + (bytes - available) / bytesPerMs;
      tokens = 0;
    }
    lastDeparture = departure;
    if (departure > now) {
      backlog.push([departure, bytes]);
      backlogBytes += bytes;
    }
    return departure;
  }

  function propagation(now) {
    if (!jitterMs) return delayMs;
    if (now >= to[0]) {
      // After a pause longer than a period, start a fresh segment at the arrival.
      from = now - to[0] > jitterPeriodMs ? [now, waypointSd * normal(random)] : to;
      to = [from[0] + jitterPeriodMs, waypointSd * normal(random)];
    }
    const share = (now - from[0]) / (to[0] - from[0]);
    return Math.max(0, delayMs + from[1] + share * (to[1] - from[1]));
  }

  return {
    config,
    stats,
    /** A packet of `size` payload bytes arrives at `now` (ms): `{ releaseAt }`, or `{ dropped: 'loss' | 'queue' }`. */
    admit(now, size) {
      stats.packets++;
      stats.bytes += size;
      if (lose()) {
        stats.lost++;
        return { dropped: 'loss' };
      }
      const departure = bottleneck(now, size + HEADER_BYTES);
      if (departure === undefined) {
        stats.queueDropped++;
        return { dropped: 'queue' };
      }
      let releaseAt = departure + propagation(now);
      if (!reorder) releaseAt = Math.max(releaseAt, lastRelease);
      lastRelease = Math.max(lastRelease, releaseAt);
      stats.delivered++;
      stats.queueDelayMsTotal += departure - now;
      stats.delayMsTotal += releaseAt - now;
      return { releaseAt };
    },
  };
}

/** True when a path config changes nothing (packets can be forwarded at once). */
export const isTransparent = (config) =>
  !config ||
  (!config.delayMs && !config.jitterMs && !config.rateKbps && !(config.loss && (config.loss.rate || config.loss.p)));
