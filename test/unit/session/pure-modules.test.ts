// The small modules the session is built from, each on its own: no browser, fake timers where time matters.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import FakeTimers from '@sinonjs/fake-timers';
import { DuplicateFilter } from '../../../src/session/duplicate-filter.js';
import { QUALITY_INTERVAL_MS, QualityMonitor, readQuality } from '../../../src/session/quality-monitor.js';
import { Backpressure, HIGH_WATER_BYTES, LOW_WATER_BYTES } from '../../../src/session/file-transfer/backpressure.js';
import { PROGRESS_INTERVAL_MS, ProgressThrottle } from '../../../src/session/file-transfer/progress-throttle.js';
import { DISCONNECT_GRACE_MS, LinkWatch, SAMPLE_INTERVAL_MS, SILENCE_MS } from '../../../src/session/link-watch.js';
import { ATTEMPT_TIMEOUT_MS, RecoveryClock } from '../../../src/session/recovery-clock.js';
import { RelayGuard } from '../../../src/session/relay-guard.js';
import { applyRelayPolicy, hasTurnServer, isRelayCandidate } from '../../../src/session/relay-policy.js';
import { RemoteStreams } from '../../../src/session/remote-streams.js';
import { backoffDelay } from '../../../src/signaling/backoff.js';
import { asChannel, FakeDataChannel } from '../support/fake-data-channel.js';
import { FakeConnection } from '../support/fake-link.js';

let clock: ReturnType<typeof FakeTimers.install>;
/** Fake timers for the tests of one describe block (hooks at the top level would apply to every file of the tier). */
function withFakeTimers(): void {
  beforeEach(
    () =>
      (clock = FakeTimers.install({
        toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
      })),
  );
  afterEach(() => clock.uninstall());
}

const stream = (id: string) => ({ id }) as MediaStream;

describe('RecoveryClock', () => {
  withFakeTimers();
  it('schedules the next attempt, counts attempts, and gives up at the deadline', () => {
    const events: string[] = [];
    const recovery = new RecoveryClock(10_000, () => events.push('deadline'));
    recovery.attempt(() => events.push('retry'));
    clock.tick(ATTEMPT_TIMEOUT_MS - 1);
    assert.deepEqual([...events], []);
    clock.tick(1);
    assert.deepEqual(events, ['retry']);
    recovery.attempt(() => events.push('retry'));
    clock.tick(10_000);
    assert.deepEqual(events, ['retry', 'deadline']);
    assert.equal(recovery.attempts, 2);
  });

  it('finish() reports the duration and clears every timer', () => {
    const events: string[] = [];
    const recovery = new RecoveryClock(10_000, () => events.push('deadline'));
    recovery.attempt(() => events.push('retry'));
    clock.tick(1234);
    assert.equal(recovery.finish(), 1234);
    clock.tick(60_000);
    assert.deepEqual(events, []);
  });
});

describe('LinkWatch', () => {
  withFakeTimers();
  it('reports ice-failed at once', () => {
    const connection = new FakeConnection();
    const lost: string[] = [];
    new LinkWatch(connection as unknown as RTCPeerConnection, (reason) => lost.push(reason));
    connection.setIceState('failed');
    assert.deepEqual(lost, ['ice-failed']);
  });

  it('reports ice-disconnected only when no byte arrived during the grace period', async () => {
    const connection = new FakeConnection();
    const lost: string[] = [];
    new LinkWatch(connection as unknown as RTCPeerConnection, (reason) => lost.push(reason));
    connection.setIceState('connected');
    connection.setIceState('disconnected');
    await clock.tickAsync(DISCONNECT_GRACE_MS / 2);
    connection.bytesReceived += 500; // still trickling in
    await clock.tickAsync(DISCONNECT_GRACE_MS / 2 + 10);
    assert.deepEqual(lost, [], 'bytes came in: look again');
    await clock.tickAsync(DISCONNECT_GRACE_MS + 10);
    assert.deepEqual(lost, ['ice-disconnected']);
  });

  it('reports packets-stopped when a peer that was streaming sends nothing for a second, ICE still connected', async () => {
    const connection = new FakeConnection();
    const lost: string[] = [];
    const watch = new LinkWatch(connection as unknown as RTCPeerConnection, (reason) => lost.push(reason));
    connection.setIceState('connected');
    // No media yet: an RTCP report or an ICE check now and then, seconds of silence between them, is not judged.
    for (let second = 0; second < 5; second += 1) {
      connection.bytesReceived += 90;
      await clock.tickAsync(1000);
    }
    assert.deepEqual(lost, []);
    connection.streaming = true;
    await clock.tickAsync(2000);
    connection.streaming = false;
    await clock.tickAsync(SILENCE_MS - SAMPLE_INTERVAL_MS);
    assert.deepEqual(lost, [], 'a shorter silence is left alone');
    connection.streaming = true;
    await clock.tickAsync(2000);
    connection.streaming = false;
    await clock.tickAsync(SILENCE_MS + SAMPLE_INTERVAL_MS);
    assert.deepEqual(lost, ['packets-stopped']);
    assert.equal(connection.iceConnectionState, 'connected');
    watch.stop();
  });

  it('does not judge a silence while its own packets stood still too (a starved machine), and checks signaling meanwhile', async () => {
    const connection = new FakeConnection();
    const lost: string[] = [];
    let quiet = 0;
    const watch = new LinkWatch(
      connection as unknown as RTCPeerConnection,
      (reason) => lost.push(reason),
      () => quiet++,
    );
    connection.setIceState('connected');
    connection.streaming = true;
    await clock.tickAsync(2000);
    connection.streaming = false;
    connection.sendingStalled = true;
    await clock.tickAsync(SILENCE_MS * 3);
    assert.deepEqual(lost, [], 'nothing in, nothing out: not evidence that the path broke');
    assert.ok(quiet > 0, 'the signaling was checked meanwhile');
    // This side sends again and still hears nothing: now the silence counts.
    connection.sendingStalled = false;
    await clock.tickAsync(SAMPLE_INTERVAL_MS * 2);
    assert.deepEqual(lost, ['packets-stopped']);
    watch.stop();
  });

  describe('while the picture moves on this page', () => {
    /** A connection whose getStats calls are counted, and a picture whose frames advance while `moving`. */
    function watched() {
      const connection = new FakeConnection();
      const picture = { frames: 0, moving: false };
      const ticker = setInterval(() => picture.moving && (picture.frames += 3), 100);
      let reads = 0;
      const getStats = connection.getStats.bind(connection);
      connection.getStats = () => (reads++, getStats());
      const lost: string[] = [];
      const watch = new LinkWatch(
        connection as unknown as RTCPeerConnection,
        (reason) => lost.push(reason),
        () => {},
        () => picture.frames,
      );
      connection.setIceState('connected');
      const stop = () => (watch.stop(), clearInterval(ticker));
      return { connection, picture, lost, reads: () => reads, stop };
    }

    it('counts no bytes, and still judges a path that stops as soon as before', async () => {
      const { connection, picture, lost, reads, stop } = watched();
      connection.streaming = picture.moving = true;
      await clock.tickAsync(5000);
      assert.equal(reads(), 0, 'frames kept coming: no getStats');
      connection.streaming = picture.moving = false;
      await clock.tickAsync(SILENCE_MS - SAMPLE_INTERVAL_MS);
      assert.deepEqual(lost, [], 'a shorter silence is left alone');
      assert.ok(reads() > 0, 'no new frame: the bytes are counted');
      await clock.tickAsync(2 * SAMPLE_INTERVAL_MS);
      assert.deepEqual(lost, ['packets-stopped'], 'lost within a second and a sample of the last frame');
      stop();
    });

    it('leaves a picture that froze while the bytes keep coming (a starved page, a lost key frame)', async () => {
      const { connection, picture, lost, stop } = watched();
      connection.streaming = picture.moving = true;
      await clock.tickAsync(2000);
      picture.moving = false;
      await clock.tickAsync(SILENCE_MS * 4);
      assert.deepEqual(lost, []);
      picture.moving = true;
      await clock.tickAsync(1000);
      connection.streaming = picture.moving = false;
      await clock.tickAsync(SILENCE_MS + 2 * SAMPLE_INTERVAL_MS);
      assert.deepEqual(lost, ['packets-stopped'], 'a later stop is still judged');
      stop();
    });

    it('does not judge a silence while its own packets stood still too', async () => {
      const { connection, picture, lost, stop } = watched();
      connection.streaming = picture.moving = true;
      await clock.tickAsync(2000);
      connection.streaming = picture.moving = false;
      connection.sendingStalled = true;
      await clock.tickAsync(SILENCE_MS * 3);
      assert.deepEqual(lost, []);
      connection.sendingStalled = false;
      await clock.tickAsync(SAMPLE_INTERVAL_MS * 2);
      assert.deepEqual(lost, ['packets-stopped']);
      stop();
    });
  });

  it('leaves a drop that heals alone, and says nothing once stopped', async () => {
    const connection = new FakeConnection();
    const lost: string[] = [];
    const watch = new LinkWatch(connection as unknown as RTCPeerConnection, (reason) => lost.push(reason));
    connection.setIceState('disconnected');
    await clock.tickAsync(100);
    connection.setIceState('connected');
    await clock.tickAsync(DISCONNECT_GRACE_MS * 2);
    watch.stop();
    connection.setIceState('failed');
    assert.deepEqual(lost, []);
  });
});

describe('DuplicateFilter', () => {
  withFakeTimers();
  it('accepts an id once, and forgets the oldest beyond its capacity', () => {
    const filter = new DuplicateFilter(2);
    assert.equal(filter.accept('a'), true);
    assert.equal(filter.accept('a'), false);
    filter.accept('b');
    filter.accept('c');
    assert.equal(filter.accept('a'), true, 'a was forgotten');
    filter.clear();
    assert.equal(filter.accept('c'), true);
  });
});

describe('Backpressure', () => {
  withFakeTimers();
  it('waits while more than the high-water mark is queued and resumes on bufferedamountlow', async () => {
    const [channel] = FakeDataChannel.pair();
    const backpressure = new Backpressure(asChannel(channel));
    assert.equal(channel.bufferedAmountLowThreshold, LOW_WATER_BYTES);
    channel.bufferedAmount = HIGH_WATER_BYTES + 1;
    let ready = false;
    void backpressure.ready().then(() => (ready = true));
    await clock.tickAsync(10);
    assert.equal(ready, false);
    channel.bufferedAmount = LOW_WATER_BYTES;
    channel.dispatchEvent(new Event('bufferedamountlow'));
    await clock.tickAsync(0);
    assert.equal(ready, true);
  });

  it('open() resolves when the channel opens and rejects when it closes first', async () => {
    const [channel] = FakeDataChannel.pair();
    channel.readyState = 'connecting';
    const opened = new Backpressure(asChannel(channel)).open();
    channel.readyState = 'open';
    channel.dispatchEvent(new Event('open'));
    await opened;
    const [other] = FakeDataChannel.pair();
    other.readyState = 'connecting';
    const closed = new Backpressure(asChannel(other)).open();
    other.dispatchEvent(new Event('close'));
    await assert.rejects(closed);
  });
});

describe('ProgressThrottle', () => {
  withFakeTimers();
  it('reports the start, then at most once per interval however many bytes came, and always the end', () => {
    const throttle = new ProgressThrottle(10_000);
    assert.equal(throttle.shouldReport(0), true, 'the start');
    assert.equal(throttle.shouldReport(5_000), false, 'half the file, but at once');
    clock.tick(PROGRESS_INTERVAL_MS - 1);
    assert.equal(throttle.shouldReport(6_000), false, 'not yet an interval later');
    clock.tick(1);
    assert.equal(throttle.shouldReport(6_100), true, 'an interval later');
    assert.equal(throttle.shouldReport(10_000), true, 'the end, at once');
    assert.equal(throttle.shouldReport(10_000), false, 'the same bytes twice');
  });
});

describe('relay policy', () => {
  withFakeTimers();
  const servers = [
    { urls: ['stun:s.example:3478', 'turn:t.example:3478', 'turns:t.example:443'], username: 'u', credential: 'c' },
  ];
  it('allow keeps everything; only relays everything; forbid removes TURN urls and empty entries', () => {
    assert.deepEqual(applyRelayPolicy(servers, 'allow'), { iceServers: servers, iceTransportPolicy: 'all' });
    assert.deepEqual(applyRelayPolicy(servers, 'only'), { iceServers: servers, iceTransportPolicy: 'relay' });
    const forbid = applyRelayPolicy([...servers, { urls: 'turn:x' }], 'forbid');
    assert.deepEqual(
      forbid.iceServers.map((server) => server.urls),
      [['stun:s.example:3478']],
    );
    assert.equal(hasTurnServer(forbid.iceServers), false);
    assert.equal(hasTurnServer(servers), true);
  });
  it('recognises a relay candidate', () => {
    const candidate = (line: string) => ({ type: 'candidate', candidate: { candidate: line } });
    assert.equal(
      isRelayCandidate(candidate('candidate:1 1 udp 5 192.0.2.1 5000 typ relay raddr 0.0.0.0 rport 0')),
      true,
    );
    assert.equal(isRelayCandidate(candidate('candidate:1 1 udp 5 192.0.2.1 5000 typ host')), false);
    assert.equal(isRelayCandidate({ type: 'offer' }), false);
  });
});

describe('RelayGuard', () => {
  withFakeTimers();
  const relayLine = 'candidate:9 1 udp 5 203.0.113.7 49170 typ relay raddr 0.0.0.0 rport 0';
  it('drops trickled relay candidates and remembers where they are', () => {
    const guard = new RelayGuard();
    assert.equal(guard.filter({ type: 'candidate', candidate: { candidate: relayLine } }), undefined);
    const host = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 9 192.0.2.1 5000 typ host' } };
    assert.equal(guard.filter(host), host);
    assert.equal(guard.isForbidden('203.0.113.7', 49170), true);
    assert.equal(guard.isForbidden('192.0.2.1', 5000), false);
    assert.equal(guard.isForbidden(undefined, undefined), false);
  });
  it('strips relay candidates from a description and keeps the rest', () => {
    const guard = new RelayGuard();
    const sdp = `v=0\r\na=candidate:1 1 udp 9 192.0.2.1 5000 typ host\r\na=${relayLine}\r\na=end-of-candidates\r\n`;
    const filtered = guard.filter({ type: 'offer', sdp });
    assert.equal(filtered?.sdp, 'v=0\r\na=candidate:1 1 udp 9 192.0.2.1 5000 typ host\r\na=end-of-candidates\r\n');
    assert.equal(guard.isForbidden('203.0.113.7', 49170), true);
  });
});

describe('RemoteStreams', () => {
  withFakeTimers();
  it('sorts streams into camera and share whichever arrives first: the stream or the message naming it', () => {
    const streams = new RemoteStreams();
    assert.deepEqual(streams.setCamera('cam'), {});
    const camera = stream('cam');
    assert.deepEqual(streams.addStream(camera), { camera });
    const share = stream('aux');
    assert.deepEqual(streams.addStream(share), {});
    assert.deepEqual(streams.setAux('aux', true), { auxStarted: share });
    assert.deepEqual(streams.setAux('aux', false), { auxEnded: share });
    assert.deepEqual(streams.setAux('aux', true), { auxStarted: share });
    assert.deepEqual(streams.clear(), { auxEnded: share });
    assert.equal(streams.camera, undefined);
  });
});

describe('RemoteStreams before the peer has named its streams', () => {
  it('takes the first stream as the camera at once, and follows the peer when it names another', () => {
    const streams = new RemoteStreams();
    const first = stream('first');
    assert.deepEqual(streams.addStream(first), { camera: first });
    assert.deepEqual(streams.setCamera('first'), {}, 'named as expected: nothing changes');
    const other = new RemoteStreams();
    other.addStream(first);
    const named = stream('named');
    other.addStream(named);
    assert.equal(other.camera, first);
    assert.deepEqual(other.setCamera('named'), { camera: named });
  });
});

describe('backoffDelay', () => {
  withFakeTimers();
  it('grows exponentially to the ceiling, with full jitter above half the first delay', () => {
    const policy = { initialDelayMs: 200, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(0, policy, () => 0),
      100,
    );
    assert.equal(
      backoffDelay(0, policy, () => 1),
      200,
    );
    assert.equal(
      backoffDelay(3, policy, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(10, policy, () => 1),
      1000,
    );
  });
});

describe('quality', () => {
  withFakeTimers();
  const stats = (lost: number, received: number, rtt = 0.05, jitter = 0.004, remoteType = 'host') =>
    new Map<string, Record<string, unknown>>([
      ['t', { type: 'transport', selectedCandidatePairId: 'p' }],
      ['p', { type: 'candidate-pair', currentRoundTripTime: rtt, localCandidateId: 'l', remoteCandidateId: 'r' }],
      ['l', { type: 'local-candidate', candidateType: 'host' }],
      ['r', { type: 'remote-candidate', candidateType: remoteType }],
      ['a', { type: 'inbound-rtp', jitter, packetsLost: lost, packetsReceived: received }],
    ]) as unknown as RTCStatsReport;

  it('reads rtt, jitter, loss over the last interval, delay and the level; compares with the budget', () => {
    const first = readQuality(stats(0, 1000), undefined, 0);
    assert.deepEqual(first.detail, {
      rtt: 50,
      jitter: 4,
      loss: 0,
      delay: 29,
      route: 'direct',
      level: 'good',
      budget: 0,
      overBudget: false,
    });
    const second = readQuality(stats(100, 1900, 0.3, 0.05, 'relay'), first.counters, 100);
    assert.equal(second.detail.loss, 0.1, '100 lost of 1000 since the previous sample');
    assert.equal(second.detail.route, 'relay');
    assert.equal(second.detail.level, 'poor');
    assert.equal(second.detail.overBudget, true);
  });

  it('samples every two seconds unless told otherwise', async () => {
    let samples = 0;
    const monitor = new QualityMonitor(
      async () => {
        samples += 1;
        return stats(0, 10);
      },
      () => {},
      () => 0,
    );
    monitor.start();
    await clock.tickAsync(QUALITY_INTERVAL_MS * 2 + QUALITY_INTERVAL_MS / 2);
    monitor.stop();
    assert.equal(QUALITY_INTERVAL_MS, 2000);
    assert.equal(samples, 2);
  });

  it('reports at most once per interval, and nothing after stop()', async () => {
    const reports: number[] = [];
    const monitor = new QualityMonitor(
      async () => stats(0, 10),
      (detail) => reports.push(detail.rtt),
      () => 0,
      1000,
    );
    monitor.start();
    await clock.tickAsync(3500);
    assert.equal(reports.length, 3);
    monitor.stop();
    await clock.tickAsync(5000);
    assert.equal(reports.length, 3);
  });
});
