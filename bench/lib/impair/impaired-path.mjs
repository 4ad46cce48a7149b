// One direction of an impaired network path, as pure timing logic (the caller owns the clock and the sockets):
// each packet is first subject to loss, then to a rate-limited bottleneck (a token bucket feeding a drop-tail
// queue), then to a propagation delay with jitter. `admit()` says when the packet leaves the path, or why it never
// does.
//
//   delayMs          mean one-way propagation delay (time queued at the bottleneck comes on top)
//   jitterMs         standard deviation of a normal variation drawn for each packet, as libwebrtc's own network
//                    emulation (SimulatedNetwork's delay_standard_deviation_ms) does. Kept in order (below), a packet
//                    drawn a shorter delay than its predecessor waits for it, which lengthens the mean delay by up to
//                    half the jitter at video packet rates; so the base delay is corrected slowly (a small integral
//                    step per packet) until the mean delay of the packets actually delivered is delayMs again. A
//                    variation that drifts smoothly instead (no hold-ups needed) looks to the sender's delay-based
//                    bandwidth estimator like a queue filling and draining: with 30 ms of it, Chromium's estimate
//                    fell to ~150 kbit/s on an otherwise open path, where per-packet jitter left it at ~1.7 Mbit/s
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
  const { delayMs = 0, jitterMs = 0, reorder = false, loss, rateKbps, burstBytes, queueMs = 250 } = config;
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
  // The correction of the base delay that holds the mean at delayMs (starts near where it settles: about half the
  // jitter at video packet rates).
  const holdGain = 0.005;
  let correction = -jitterMs / 2;
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

  function propagation() {
    if (!jitterMs) return delayMs;
    return Math.max(0, delayMs + correction + jitterMs * normal(random));
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
      let releaseAt = departure + propagation();
      if (!reorder) releaseAt = Math.max(releaseAt, lastRelease);
      lastRelease = Math.max(lastRelease, releaseAt);
      if (jitterMs) correction = Math.min(0, correction + holdGain * (delayMs - (releaseAt - departure)));
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
