/**
 * Notices when a connected media path stops working although nothing closed it: ICE reports `failed`; or nothing at
 * all comes in from a peer that was streaming while this side's own packets keep leaving (the network under the other
 * side changed: its address is gone, or a NAT on the way maps it elsewhere now), which ICE only calls `disconnected`
 * after ~5 s of unanswered checks; or, on a link
 * without media, ICE reports `disconnected` and no byte came in for a grace period. A drop shorter than these heals
 * by itself (a Wi-Fi hiccup) and is left alone; the session replaces the connection only when this says it is lost.
 * While a streaming peer is silent, short of that, `onQuiet` is told at every sample: what else a network change
 * breaks (the signaling channel) can be checked meanwhile, so the replacement finds it working.
 *
 * Counting bytes takes a `getStats()`, which costs the page's main thread more than anything else in a running call.
 * While the other person's picture keeps moving on this page (`shownFrames`: the video players' own frame count, read
 * without leaving the main thread), media is evidently arriving and the count is skipped; the bytes are counted
 * only once a sample sees no new frame (a frozen or hidden picture, no video, a path that stopped), and judged as
 * before from there: a starved page whose picture lags still sees its bytes move.
 */
export type LostReason = 'ice-failed' | 'ice-disconnected' | 'packets-stopped';

export const DISCONNECT_GRACE_MS = 3000;
/** How often the bytes coming in are counted while connected. */
export const SAMPLE_INTERVAL_MS = 250;
/**
 * Silence that ends a path which was streaming. Media alone sends 50-80 packets a second each way, RTCP and ICE
 * checks more: a second of nothing at all is not congestion. Streaming = bytes in every sample of the last second (a
 * link without media, where an RTCP report or an ICE check arrives now and then, is judged by ICE's state instead).
 */
export const SILENCE_MS = 1000;
// Silence is only judged while this side's own packets kept leaving meanwhile: on a machine starved of CPU both counts
// stand still together, and a healthy call must not be torn down for it. When this side's own network is gone, its
// packets stop too; the other side, still sending, is the one that judges (this side keeps checking its signaling).
const STREAMING_SAMPLES = SILENCE_MS / SAMPLE_INTERVAL_MS;

/** How many frames of the other side's video this page has shown so far; undefined where none is shown. */
export type ShownFrames = () => number | undefined;

export class LinkWatch {
  readonly #connection: RTCPeerConnection;
  readonly #onLost: (reason: LostReason) => void;
  readonly #onQuiet: () => void;
  readonly #shownFrames: ShownFrames;
  readonly #sampler: ReturnType<typeof setInterval>;
  #stopped = false;
  #frames = 0;
  /** The last sample counted bytes (or none was taken): the next count compares with it, else only starts anew. */
  #counting = true;
  #bytes = 0;
  #lastHeardAt = performance.now();
  /** Bytes this side had sent when the last byte was counted coming in. */
  #sentAtLastBytes = 0;
  /** Samples in a row that saw media come in (new frames shown, or bytes counted). */
  #streak = 0;
  #sampling = false;

  constructor(
    connection: RTCPeerConnection,
    onLost: (reason: LostReason) => void,
    onQuiet = () => {},
    shownFrames: ShownFrames = () => undefined,
  ) {
    this.#connection = connection;
    this.#onLost = onLost;
    this.#onQuiet = onQuiet;
    this.#shownFrames = shownFrames;
    this.#frames = shownFrames() ?? 0;
    connection.addEventListener('iceconnectionstatechange', this.#check);
    this.#sampler = setInterval(() => void this.#sample(), SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#sampler);
    this.#connection.removeEventListener('iceconnectionstatechange', this.#check);
  }

  #check = (): void => {
    if (this.#connection.iceConnectionState === 'failed') this.#lost('ice-failed');
  };

  async #sample(): Promise<void> {
    // One read at a time, timed when asked: on a busy page an answer can come late, and a late answer compared with
    // a newer one would look like silence.
    if (this.#sampling) return;
    const now = performance.now();
    const frames = this.#shownFrames() ?? 0;
    const newFrames = frames > this.#frames;
    this.#frames = frames;
    if (newFrames) {
      this.#heard(now);
      this.#counting = false;
      return;
    }
    this.#sampling = true;
    const { received, sent } = await transportBytes(this.#connection);
    this.#sampling = false;
    if (!this.#counting) {
      // Bytes moved since a count taken before the frames, long ago: that says nothing about the last moment.
      this.#counting = true;
      this.#bytes = received;
      this.#sentAtLastBytes = sent;
      return;
    }
    const quietMs = now - this.#lastHeardAt;
    if (received > this.#bytes) {
      this.#bytes = received;
      this.#sentAtLastBytes = sent;
      this.#heard(now);
    } else if (this.#streak >= STREAMING_SAMPLES) {
      if (quietMs >= SILENCE_MS && sent > this.#sentAtLastBytes) this.#lost('packets-stopped');
      else this.#onQuiet();
    } else if (this.#connection.iceConnectionState === 'disconnected' && quietMs >= DISCONNECT_GRACE_MS) {
      this.#lost('ice-disconnected');
    } else {
      this.#streak = 0;
    }
  }

  #heard(now: number): void {
    this.#lastHeardAt = now;
    this.#streak++;
  }

  #lost(reason: LostReason): void {
    if (this.#stopped) return;
    this.stop();
    this.#onLost(reason);
  }
}

async function transportBytes(connection: RTCPeerConnection): Promise<{ received: number; sent: number }> {
  const total = { received: 0, sent: 0 };
  try {
    (await connection.getStats()).forEach((report: { type: string; bytesReceived?: number; bytesSent?: number }) => {
      if (report.type !== 'transport') return;
      total.received += report.bytesReceived ?? 0;
      total.sent += report.bytesSent ?? 0;
    });
  } catch {
    // a closed connection has no stats: treat as nothing received or sent
  }
  return total;
}
