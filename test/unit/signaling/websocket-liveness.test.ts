// WebSocketSignaling's liveness checks, on a fake WebSocket under fake timers: a socket that died without closing
// (this device's address changed) is found out by a `ping` it does not answer, and replaced by a new one.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import type { SignalingEvent } from '../../../src/signaling/signaling-adapter.js';
import {
  CHECK_WAIT_MS,
  HEARTBEAT_MS,
  HEARTBEAT_WAIT_MS,
  EXTRA_TRY_MS,
  MAX_TRIES,
  WebSocketSignaling,
} from '../../../src/signaling/websocket-signaling.js';

type Frame = { type: string; [key: string]: unknown };

/** The parts of the browser's WebSocket the adapter uses; the test opens it, feeds it frames, reads what was sent. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  readonly sent: Frame[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text) as Frame);
  }

  close(): void {
    this.readyState = FakeSocket.CLOSED;
  }

  /** The connection attempt failed or the socket dropped: the browser closes it and says so. */
  fail(): void {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ code: 1006 });
  }

  open(): void {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }

  receive(frame: Frame): void {
    this.onmessage?.({ data: JSON.stringify({ v: 1, ...frame }) });
  }

  /** Opens the socket and answers its join, seating `peers` beside this participant. */
  seat(peers: string[] = ['b']): void {
    this.open();
    this.receive({ type: 'joined', room: 'r', self: 'a', peers: peers.map((id) => ({ id, name: '' })) });
  }

  types(): string[] {
    return this.sent.map((frame) => frame.type);
  }
}

describe('WebSocketSignaling liveness (fake WebSocket, fake timers)', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let adapter: WebSocketSignaling;
  let events: SignalingEvent[];
  const original = (globalThis as { WebSocket?: unknown }).WebSocket;

  beforeEach(() => {
    clock = FakeTimers.install({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    });
    (globalThis as { WebSocket?: unknown }).WebSocket = FakeSocket;
    FakeSocket.made = [];
    adapter = new WebSocketSignaling('ws://signal.test/signal');
    events = [];
    adapter.subscribe((event) => events.push(event));
    adapter.join({ room: 'r', peerId: 'a', name: '' });
  });

  afterEach(() => {
    adapter.leave();
    clock.uninstall();
    (globalThis as { WebSocket?: unknown }).WebSocket = original;
  });

  const sockets = () => FakeSocket.made;

  it('replaces a joined socket that does not answer a check, and sends what was written meanwhile on the new one', async () => {
    const [first] = sockets();
    first.seat();
    adapter.checkConnection();
    assert.deepEqual(first.types(), ['join', 'ping']);
    adapter.send('b', 'm1', { type: 'offer', sdp: 'x' });
    assert.deepEqual(first.types(), ['join', 'ping'], 'held while the socket may be dead');
    await clock.tickAsync(CHECK_WAIT_MS - 1);
    assert.equal(sockets().length, 1);
    await clock.tickAsync(2); // the wait, then the reconnect's zero delay (one fake millisecond)
    assert.equal(sockets().length, 2, 'a new socket at once, no backoff');
    const second = sockets()[1];
    second.seat();
    assert.deepEqual(second.types(), ['join', 'signal']);
    assert.equal(second.sent[1].id, 'm1');
    assert.deepEqual(
      events.filter((event) => event.type === 'connection'),
      [
        { type: 'connection', status: 'lost' },
        { type: 'connection', status: 'restored' },
      ],
    );
  });

  it('keeps a socket that answers, and sends what was held on it', async () => {
    const [first] = sockets();
    first.seat();
    adapter.checkConnection();
    adapter.send('b', 'm1', { type: 'offer', sdp: 'x' });
    first.receive({ type: 'pong' });
    assert.deepEqual(first.types(), ['join', 'ping', 'signal']);
    await clock.tickAsync(CHECK_WAIT_MS * 2);
    assert.equal(sockets().length, 1);
  });

  it('reconnects at once when asked during a backoff wait', async () => {
    const [first] = sockets();
    first.seat();
    first.readyState = FakeSocket.CLOSED;
    first.onclose?.({ code: 1006 });
    assert.equal(sockets().length, 1, 'waits out its backoff');
    adapter.checkConnection();
    assert.equal(sockets().length, 2);
  });

  describe('more tries beside a reconnect that is slow to open', () => {
    /** Seated, then its socket found dead by a check: the replacement is connecting. */
    async function reconnecting(): Promise<FakeSocket> {
      sockets()[0].seat();
      adapter.checkConnection();
      await clock.tickAsync(CHECK_WAIT_MS + 1);
      assert.equal(sockets().length, 2);
      return sockets()[1];
    }

    it('opens a second socket when the first is still connecting, and joins on the first of them to open', async () => {
      const first = await reconnecting();
      adapter.send('b', 'm1', { type: 'offer', sdp: 'x' });
      await clock.tickAsync(EXTRA_TRY_MS - 1);
      assert.equal(sockets().length, 2, 'not before EXTRA_TRY_MS');
      await clock.tickAsync(1);
      assert.equal(sockets().length, 3);
      const second = sockets()[2];
      second.seat();
      assert.equal(first.readyState, FakeSocket.CLOSED, 'the slower try is closed');
      assert.deepEqual(first.types(), [], 'and never joined');
      assert.deepEqual(second.types(), ['join', 'signal']);
      first.open(); // a late open of the closed try changes nothing
      assert.deepEqual(first.types(), []);
      await clock.tickAsync(EXTRA_TRY_MS * 3);
      assert.equal(sockets().length, 3, 'no more tries once joined');
    });

    it(`keeps trying every ${EXTRA_TRY_MS} ms up to ${MAX_TRIES} sockets at once; the first to open closes the others`, async () => {
      await reconnecting();
      await clock.tickAsync(EXTRA_TRY_MS * 10);
      assert.equal(sockets().length, 1 + MAX_TRIES, 'the dead socket, then MAX_TRIES tries');
      const tries = sockets().slice(1);
      const last = tries.at(-1)!;
      last.seat();
      for (const other of tries.slice(0, -1)) {
        assert.equal(other.readyState, FakeSocket.CLOSED);
        assert.deepEqual(other.types(), []);
      }
      assert.deepEqual(last.types(), ['join']);
      tries[0].fail(); // a late close of a try already closed changes nothing
      await clock.tickAsync(5_000);
      assert.equal(sockets().length, 1 + MAX_TRIES);
    });

    it('keeps the first try when it opens first, and closes the second', async () => {
      const first = await reconnecting();
      await clock.tickAsync(EXTRA_TRY_MS);
      const second = sockets()[2];
      first.seat();
      assert.equal(second.readyState, FakeSocket.CLOSED);
      assert.deepEqual(second.types(), []);
      assert.deepEqual(first.types(), ['join']);
      assert.equal(events.filter((event) => event.type === 'connection').at(-1)?.status, 'restored');
    });

    it('makes no second try when the first opens in time, nor before the call was ever joined', async () => {
      const first = await reconnecting();
      first.seat();
      await clock.tickAsync(EXTRA_TRY_MS * 3);
      assert.equal(sockets().length, 2);
      adapter.leave();
      FakeSocket.made = [];
      adapter = new WebSocketSignaling('ws://signal.test/signal');
      adapter.join({ room: 'r', peerId: 'a', name: '' });
      await clock.tickAsync(EXTRA_TRY_MS * 3);
      assert.equal(sockets().length, 1, 'the first join waits for its own socket');
    });

    it('carries on with the other tries when the first fails, never more than MAX_TRIES connecting at once', async () => {
      const first = await reconnecting();
      await clock.tickAsync(EXTRA_TRY_MS);
      const second = sockets()[2];
      first.fail();
      const connecting = () => sockets().filter((socket) => socket.readyState === FakeSocket.CONNECTING).length;
      for (let step = 0; step < 10; step++) {
        await clock.tickAsync(EXTRA_TRY_MS);
        assert.ok(connecting() <= MAX_TRIES, `${connecting()} connecting at once`);
      }
      second.seat();
      assert.deepEqual(second.types(), ['join']);
      assert.equal(connecting(), 0, 'the other tries closed');
    });

    it('leaving closes both tries', async () => {
      const first = await reconnecting();
      await clock.tickAsync(EXTRA_TRY_MS);
      const second = sockets()[2];
      adapter.leave();
      assert.equal(second.readyState, FakeSocket.CLOSED);
      second.open();
      first.open();
      assert.deepEqual([first.types(), second.types()], [[], []]);
    });
  });

  it('heartbeat: a server that answered pings and goes silent loses its socket; one that never answered is not judged', async () => {
    const [first] = sockets();
    first.seat();
    await clock.tickAsync(HEARTBEAT_MS);
    assert.deepEqual(first.types(), ['join', 'ping']);
    await clock.tickAsync(HEARTBEAT_WAIT_MS + 1000);
    assert.equal(sockets().length, 1, 'a server that never answered a ping is not judged by its silence');
    first.receive({ type: 'pong' });
    await clock.tickAsync(HEARTBEAT_MS - HEARTBEAT_WAIT_MS - 1000);
    assert.deepEqual(first.types(), ['join', 'ping', 'ping']);
    await clock.tickAsync(HEARTBEAT_WAIT_MS + 2);
    assert.equal(sockets().length, 2, 'no answer from a server that answers pings: a new socket');
  });
});
