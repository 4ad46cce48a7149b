/**
 * Notices when a connected media path stops working although nothing closed it: ICE reports `failed`; or nothing at
 * all comes in from a peer that was streaming while this side's own packets keep leaving (the network under the other
 * side changed: its address is gone, or a NAT on the way maps it elsewhere now), which ICE only calls `disconnected`
 * after ~5 s of unanswered checks; or, on a link without media, ICE reports `disconnected` and no packet came in for a
 * grace period. A drop shorter than these heals by itself (a Wi-Fi hiccup) and is left alone; the session replaces
 * the connection only when this says it is lost. While a streaming peer is silent, short of that, `onQuiet` is told at
 * every sample: what else a network change breaks (the signaling channel) can be checked meanwhile, so the
 * replacement finds it working.
 *
 * Watching costs next to nothing while media flows: twice a second it asks when the other side's media last delivered a
 * frame (the receivers' synchronization sources: one receiver, one hop to the media thread). getStats, which gathers
 * every statistic of the connection on the threads that carry its media and builds them on the page's main thread, is
 * read only while frames are late or ICE reports `disconnected`, four times a second: the selected pair then says when
 * the last packet of any kind came in, and whether this side's own kept leaving after it.
 */
import { selectedPair } from './selected-pair.js';

export type LostReason = 'ice-failed' | 'ice-disconnected' | 'packets-stopped';

export const DISCONNECT_GRACE_MS = 3000;
/**
 * How often the media coming in is looked at while it flows: a silence's first look, which also has the signaling
 * checked (its socket may have died with the network), comes within this.
 */
export const LOOK_INTERVAL_MS = 500;
/** How often once frames are late or ICE says `disconnected`: a silence is judged to within this. */
export const SAMPLE_INTERVAL_MS = 250;
/**
 * Silence that ends a path which was streaming. Media alone sends 50-80 packets a second each way, RTCP and ICE
 * checks more: a second of nothing at all is not congestion. Streaming = the last look found a frame younger than a
 * sample interval (a link without media is judged by ICE's state instead).
 */
export const SILENCE_MS = 1000;
// Silence is only judged while this side's own packets kept leaving for a while after the last one came in: on a
// machine starved of CPU both stand still together, and a healthy call must not be torn down for it. When this side's
// own network is gone, its packets stop too; the other side, still sending, is the one that judges (this side keeps
// checking its signaling).
const SENDING_ON_MS = SILENCE_MS / 2;

/** The selected pair's view of the path, in milliseconds; undefined where the browser does not report it. */
interface PathTimes {
  /** Since the last packet of any kind came in. */
  quietMs: number;
  /** How long this side's own packets kept leaving after that. */
  sendingMs: number;
}

export class LinkWatch {
  readonly #connection: RTCPeerConnection;
  readonly #onLost: (reason: LostReason) => void;
  readonly #onQuiet: () => void;
  readonly #frames: FrameClock;
  readonly #startedAt = performance.now();
  #timer?: ReturnType<typeof setTimeout>;
  #stopped = false;
  #streaming = false;
  #disconnectedSince?: number;

  constructor(connection: RTCPeerConnection, onLost: (reason: LostReason) => void, onQuiet = () => {}) {
    this.#connection = connection;
    this.#onLost = onLost;
    this.#onQuiet = onQuiet;
    this.#frames = new FrameClock(connection);
    connection.addEventListener('iceconnectionstatechange', this.#check);
    this.#next(LOOK_INTERVAL_MS);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#connection.removeEventListener('iceconnectionstatechange', this.#check);
  }

  #check = (): void => {
    const state = this.#connection.iceConnectionState;
    if (state === 'failed') this.#lost('ice-failed');
    else if (state === 'disconnected') this.#next(0);
  };

  #next(ms: number): void {
    clearTimeout(this.#timer);
    if (!this.#stopped) this.#timer = setTimeout(() => void this.#look(), ms);
  }

  async #look(): Promise<void> {
    const now = performance.now();
    const frameAgeMs = now - (this.#frames.latest(now) ?? -Infinity);
    if (frameAgeMs < SAMPLE_INTERVAL_MS) {
      this.#streaming = true;
      this.#disconnectedSince = undefined;
      this.#next(LOOK_INTERVAL_MS);
      return;
    }
    if (this.#streaming) {
      this.#judgeSilence(frameAgeMs, await pathTimes(this.#connection));
      this.#next(SAMPLE_INTERVAL_MS);
      return;
    }
    if (this.#connection.iceConnectionState !== 'disconnected') {
      this.#disconnectedSince = undefined;
      this.#next(LOOK_INTERVAL_MS);
      return;
    }
    this.#disconnectedSince ??= now;
    // Where the browser does not say when the last packet came in, the disconnect itself starts the grace period.
    const path = await pathTimes(this.#connection);
    const quietMs = Math.min(path?.quietMs ?? now - this.#disconnectedSince, now - this.#startedAt);
    if (quietMs >= DISCONNECT_GRACE_MS) this.#lost('ice-disconnected');
    this.#next(SAMPLE_INTERVAL_MS);
  }

  /** The frames of a streaming peer stopped: lost when nothing else comes in either while this side keeps sending. */
  #judgeSilence(framesStoppedMs: number, path: PathTimes | undefined): void {
    if (path && path.quietMs >= SILENCE_MS && path.sendingMs >= SENDING_ON_MS) {
      this.#lost('packets-stopped');
      return;
    }
    if (!path || path.quietMs >= SAMPLE_INTERVAL_MS) this.#onQuiet();
    // Packets still come in without frames for longer than a silence: the peer stopped its media, the path lives; from
    // here on ICE's state judges it, as on a link without media.
    if (framesStoppedMs >= SILENCE_MS + SAMPLE_INTERVAL_MS && !(path && path.quietMs >= SILENCE_MS)) {
      this.#streaming = false;
    }
  }

  #lost(reason: LostReason): void {
    if (this.#stopped) return;
    this.stop();
    this.#onLost(reason);
  }
}

/**
 * When the other side's media last delivered a frame, on this page's clock. Each receiver's answer costs a hop to the
 * thread that carries the media: the one that answered last time is asked first, the others only when it has nothing
 * new (its track stopped, or the first look). Browsers differ in the clock the answers use; how far it stands from
 * this page's is learned from the answers themselves (a frame is never delivered later than now).
 */
class FrameClock {
  readonly #connection: RTCPeerConnection;
  #latest = 0;
  #lastAnswered?: RTCRtpReceiver;
  /** The receivers' clock minus this page's, as closely as the freshest frame so far showed it. */
  #offset = -Infinity;

  constructor(connection: RTCPeerConnection) {
    this.#connection = connection;
  }

  /** Undefined until a frame came. */
  latest(now: number): number | undefined {
    if (!(this.#lastAnswered && this.#newer(this.#lastAnswered, now))) {
      this.#connection.getReceivers().some((receiver) => receiver !== this.#lastAnswered && this.#newer(receiver, now));
    }
    return this.#latest ? this.#latest - this.#offset : undefined;
  }

  #newer(receiver: RTCRtpReceiver, now: number): boolean {
    const before = this.#latest;
    for (const { timestamp } of receiver.getSynchronizationSources?.() ?? []) {
      this.#latest = Math.max(this.#latest, timestamp);
      this.#offset = Math.max(this.#offset, timestamp - now);
    }
    if (this.#latest === before) return false;
    this.#lastAnswered = receiver;
    return true;
  }
}

async function pathTimes(connection: RTCPeerConnection): Promise<PathTimes | undefined> {
  try {
    const pair = selectedPair(await connection.getStats());
    const { timestamp, lastPacketReceivedTimestamp: received, lastPacketSentTimestamp: sent } = pair ?? {};
    if (typeof timestamp !== 'number' || typeof received !== 'number' || typeof sent !== 'number') return undefined;
    return { quietMs: timestamp - received, sendingMs: sent - received };
  } catch {
    return undefined; // a closed connection has no stats
  }
}
