import { expect } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';

/**
 * Counts what calls leave behind, by watching the browser APIs they use (nothing is replaced: every call goes
 * through to the real implementation): peer connections, camera/microphone tracks, timers, and listeners on
 * window and document.
 */
class LeakWatch {
  readonly connections = new Set<RTCPeerConnection>();
  readonly tracks = new Set<MediaStreamTrack>();
  readonly #pendingTimers = new Map<number, { delay: number; origin: string }>();
  readonly #listeners = new Map<string, number>();
  readonly #restore: (() => void)[] = [];

  install(): void {
    // The patched functions run with the connection as `this`; the watch is reached through this alias.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const watch = this;
    this.#patch(RTCPeerConnection.prototype, 'createDataChannel', (original) =>
      function (this: RTCPeerConnection, ...args: unknown[]) {
        watch.connections.add(this);
        return original.apply(this, args);
      },
    );
    this.#patch(MediaDevices.prototype, 'getUserMedia', (original) =>
      async function (this: MediaDevices, ...args: unknown[]) {
        const stream = (await original.apply(this, args)) as MediaStream;
        stream.getTracks().forEach((track) => watch.tracks.add(track));
        return stream;
      },
    );
    for (const name of ['setTimeout', 'setInterval'] as const) {
      this.#patch(window, name, (original) =>
        function (this: Window, handler: unknown, delay = 0, ...rest: unknown[]) {
          const wrapped =
            typeof handler === 'function' && name === 'setTimeout'
              ? (...callArgs: unknown[]) => {
                  watch.#pendingTimers.delete(id);
                  return (handler as (...a: unknown[]) => unknown)(...callArgs);
                }
              : handler;
          const id = original.call(this, wrapped, delay, ...rest) as number;
          watch.#pendingTimers.set(id, { delay: Number(delay), origin: new Error().stack?.split('\n').slice(2, 6).join(' | ') ?? '' });
          return id;
        },
      );
    }
    for (const name of ['clearTimeout', 'clearInterval'] as const) {
      this.#patch(window, name, (original) =>
        function (this: Window, id: number) {
          watch.#pendingTimers.delete(id);
          return original.call(this, id);
        },
      );
    }
    for (const [label, target] of [['window', window], ['document', document]] as const) {
      this.#patch(target, 'addEventListener', (original) =>
        function (this: EventTarget, type: string, ...rest: unknown[]) {
          watch.#count(`${label}:${type}`, +1);
          return original.call(this, type, ...rest);
        },
      );
      this.#patch(target, 'removeEventListener', (original) =>
        function (this: EventTarget, type: string, ...rest: unknown[]) {
          watch.#count(`${label}:${type}`, -1);
          return original.call(this, type, ...rest);
        },
      );
    }
  }

  uninstall(): void {
    this.#restore.splice(0).forEach((restore) => restore());
  }

  /** Timers still waiting to fire (intervals until cleared), with their delays. */
  get pendingTimers(): number[] {
    return [...this.#pendingTimers.values()].map((timer) => timer.delay);
  }

  /** Where the pending timers were made (a few stack frames each), for the failure message. */
  get pendingTimerOrigins(): string {
    return [...this.#pendingTimers.values()].map((timer) => `${timer.delay} ms at ${timer.origin}`).join('\n');
  }

  /** Listener types added more often than removed. */
  get listenersLeft(): string[] {
    return [...this.#listeners].filter(([, count]) => count > 0).map(([type, count]) => `${type} x${count}`);
  }

  #count(key: string, delta: number): void {
    this.#listeners.set(key, (this.#listeners.get(key) ?? 0) + delta);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  #patch(target: any, name: string, make: (original: (...args: any[]) => any) => (...args: any[]) => any): void {
    const original = target[name];
    target[name] = make(original);
    this.#restore.push(() => (target[name] = original));
  }
}

/** Where in its life a cycle's call is ended: every stage a person might leave at. */
const LEAVE_AT = ['joining', 'waiting', 'connecting', 'connected'] as const;

describe('<p2p-call> leaves nothing behind', function () {
  this.timeout(280_000);

  it('50 join/leave/unmount cycles: no live tracks, no open connections, no timers, no window/document listeners', async () => {
    const watch = new LeakWatch();
    watch.install();
    const stages: Record<string, number> = {};
    try {
      for (let cycle = 0; cycle < 50; cycle++) {
        const room = uniqueRoom('leak');
        const calls = ['Ada', 'Grace'].map((name) => {
          const call = document.createElement('p2p-call') as P2PCall;
          call.room = room;
          call.name = name;
          call.setAttribute('signaling', 'broadcast');
          call.setAttribute('ice-servers', '[]');
          document.body.append(call);
          return call;
        });
        const leaveAt = LEAVE_AT[cycle % LEAVE_AT.length];
        calls.forEach((call) => void call.join());
        if (leaveAt !== 'joining') {
          await waitFor(() => calls.every((call) => ['waiting', 'connecting', 'connected'].includes(call.state)), 20_000, 'in the room');
          if (leaveAt !== 'waiting') await waitFor(() => calls.some((call) => call.state === leaveAt), 20_000, leaveAt);
        }
        stages[calls[0].state] = (stages[calls[0].state] ?? 0) + 1;
        calls[0].leave(); // one leaves, the other is unmounted mid-call (as a host's router would)
        calls.forEach((call) => call.remove());
        expect(calls[1].state).to.equal('ended');
      }
      // Let whatever was already on its way (a bye, a closing transport) finish, still watched: teardown that runs
      // on a 0 ms timer clears its intervals now, and an unwatched clear would look like a leak.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      watch.uninstall();
    }

    console.log(`50 cycles, left at: ${JSON.stringify(stages)}; ${watch.connections.size} peer connections and ${watch.tracks.size} tracks were made`);
    expect(watch.tracks.size).to.be.greaterThan(50); // the cycles really opened cameras and microphones
    expect([...watch.tracks].filter((track) => track.readyState === 'live')).to.have.length(0);
    expect([...watch.connections].filter((pc) => pc.signalingState !== 'closed')).to.have.length(0);
    expect(watch.pendingTimers, `timers still pending:\n${watch.pendingTimerOrigins}`).to.deep.equal([]);
    expect(watch.listenersLeft, 'window/document listeners left').to.deep.equal([]);
  });
});
