/**
 * Two (or more) CallSessions on fake signaling and fake links, under fake timers: a whole call in a few
 * milliseconds, deterministic, with everything each session emitted kept for the test to read.
 */
import FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;
import type { CallEventMap } from '../../../src/session/call-events.js';
import { CallSession } from '../../../src/session/call-session.js';
import type { CallSessionOptions } from '../../../src/session/call-session-options.js';
import { FakeNetwork } from './fake-link.js';
import { FakeSignalingHub } from './fake-signaling.js';

/** A stand-in for a host's MediaStream with no tracks: what a receive-only side sends. */
export function emptyStream(id = `stream-${Math.random().toString(36).slice(2)}`): MediaStream {
  return { id, getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;
}

export type Recorded = {
  [K in keyof CallEventMap]: { name: K; detail: CallEventMap[K]; at: number };
}[keyof CallEventMap];

export interface TestSession {
  session: CallSession;
  events: Recorded[];
  /** The details of every event of one name, in order. */
  all<K extends keyof CallEventMap>(name: K): Array<CallEventMap[K]>;
  states(): string[];
}

export class CallHarness {
  readonly clock: InstalledClock;
  readonly hub = new FakeSignalingHub();
  readonly network = new FakeNetwork();
  readonly sessions: TestSession[] = [];

  constructor() {
    this.clock = FakeTimers.install({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    });
  }

  /** A session in `room` with peer id `peerId` (ids decide who offers: the smaller one). */
  add(peerId: string, options: Partial<CallSessionOptions> = {}): TestSession {
    const session = new CallSession({
      signaling: this.hub.adapter(),
      room: 'room',
      name: peerId.toUpperCase(),
      peerId,
      localStream: emptyStream(),
      createLink: this.network.create,
      ...options,
    });
    const events: Recorded[] = [];
    session.events.on('*', (name, detail) => events.push({ name, detail, at: this.clock.now } as Recorded));
    const recorded: TestSession = {
      session,
      events,
      all: <K extends keyof CallEventMap>(name: K) =>
        events.filter((event) => event.name === name).map((event) => event.detail as CallEventMap[K]),
      states: () => recorded.all('state-change').map(({ state }) => state),
    };
    this.sessions.push(recorded);
    return recorded;
  }

  /** Lets `ms` of fake time pass, running every timer and promise due meanwhile. */
  async run(ms = 100): Promise<void> {
    await this.clock.tickAsync(ms);
  }

  /**
   * Lets fake and real time pass until `done()`, for at most 5 s of real time: code loaded on demand (the connected
   * services' chunk) arrives by a dynamic import, which resolves in real time, not in fake time.
   */
  async until(done: () => boolean, what: string): Promise<void> {
    const deadline = process.hrtime.bigint() + 5_000_000_000n;
    while (!done() && process.hrtime.bigint() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.run(50);
    }
    if (!done()) throw new Error(`Timed out waiting for ${what}`);
  }

  /** Joins the sessions (all at once) and lets the call settle. */
  async joinAll(ms = 200): Promise<void> {
    for (const { session } of this.sessions) void session.join();
    await this.run(ms);
  }

  dispose(): void {
    for (const { session } of this.sessions) session.destroy();
    this.clock.uninstall();
  }
}
