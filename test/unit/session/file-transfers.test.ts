import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { P2PCallError } from '../../../src/errors.js';
import type { FileCancelDetail, FileReceivedDetail } from '../../../src/session/file-transfer/file-events.js';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../../../src/session/file-transfer/file-limits.js';
import type { FileMessage } from '../../../src/session/file-transfer/file-messages.js';
import { FileTransfers, type FileTransferSink } from '../../../src/session/file-transfer/file-transfers.js';
import { asChannel, FakeDataChannel } from '../support/fake-data-channel.js';

const GiB = 1024 ** 3;

/** What one side's sink was told. */
function recordingSink(accept = true) {
  const seen = {
    offers: [] as string[],
    received: [] as FileReceivedDetail[],
    cancelled: [] as FileCancelDetail[],
    errors: [] as P2PCallError[],
  };
  const sink: FileTransferSink = {
    offer: (detail) => {
      seen.offers.push(detail.name);
      return accept;
    },
    progress: () => {},
    received: (detail) => seen.received.push(detail),
    sent: () => {},
    cancelled: (detail) => seen.cancelled.push(detail),
    error: (error) => seen.errors.push(error),
  };
  return { sink, seen };
}

/** A receiving side on one end of a fake channel, and the other end for the test to speak through as a peer. */
function receiver(limits: Partial<FileLimits> = {}) {
  const [mine, theirs] = FakeDataChannel.pair();
  const { sink, seen } = recordingSink();
  const transfers = new FileTransfers(asChannel(mine), sink, () => ({ ...DEFAULT_FILE_LIMITS, ...limits }));
  const fromPeer: FileMessage[] = [];
  theirs.addEventListener('message', (event) => {
    const { data } = event as MessageEvent;
    if (typeof data === 'string') fromPeer.push(JSON.parse(data) as FileMessage);
  });
  const offer = (
    id: string,
    size: number,
    name = `${id}.bin`,
    type = 'application/octet-stream',
    seq = Number(id.replace(/\D/gu, '')) || 0,
  ) => theirs.send(JSON.stringify({ t: 'offer', id, seq, name, size, type }));
  return { transfers, seen, offer, fromPeer, peer: theirs };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Waits (in timer turns, as the fake channel delivers) until `done` holds; fails after a second. */
async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 200 && !done(); turn += 1) await tick();
  assert.ok(done(), 'timed out');
}

describe('FileTransfers: what a receiver takes', () => {
  it('refuses offers beyond the concurrent-file limit as busy, and says so to both sides', async () => {
    const side = receiver({ maxIncomingFiles: 4, maxIncomingBytes: 1000 * GiB });
    for (let index = 0; index < 50; index += 1) side.offer(`f${index}`, GiB);
    await until(() => side.fromPeer.length === 50);
    const accepted = side.fromPeer.filter((m) => m.t === 'accept');
    const busy = side.fromPeer.filter((m) => m.t === 'reject' && m.reason === 'busy');
    assert.equal(accepted.length, 4);
    assert.equal(busy.length, 46);
    assert.equal(side.seen.offers.length, 4, 'the host is asked only about offers within the limits');
    assert.equal(side.seen.cancelled.filter((c) => c.reason === 'busy' && c.direction === 'receive').length, 46);
    assert.equal(side.transfers.active, 4);
  });

  it('refuses offers whose bytes together would pass the pending-bytes limit', async () => {
    const side = receiver({ maxIncomingFiles: 100, maxIncomingBytes: 3 * GiB });
    for (let index = 0; index < 5; index += 1) side.offer(`f${index}`, GiB);
    await until(() => side.fromPeer.length === 5);
    assert.equal(side.fromPeer.filter((m) => m.t === 'accept').length, 3);
    assert.equal(side.fromPeer.filter((m) => m.t === 'reject' && m.reason === 'busy').length, 2);
  });

  it('refuses an offer over max-file-size as too large', async () => {
    const side = receiver({ maxFileSize: 1000 });
    side.offer('f1', 1001);
    await until(() => side.fromPeer.length === 1);
    assert.deepEqual(side.fromPeer, [{ t: 'reject', id: 'f1', reason: 'too-large' }]);
  });

  it('hands over received bytes as application/octet-stream, keeping the claimed type as information only', async () => {
    const side = receiver();
    const payload = new TextEncoder().encode('<script>alert(1)</script>');
    side.offer('f7', payload.byteLength, 'page.html', 'text/html');
    await tick();
    const frame = new Uint8Array(4 + payload.byteLength);
    new DataView(frame.buffer).setUint32(0, 7);
    frame.set(payload, 4);
    side.peer.send(frame);
    const { FileDigest } = await import('../../../src/session/file-transfer/file-digest.js');
    const digest = new FileDigest();
    digest.update(payload);
    side.peer.send(JSON.stringify({ t: 'end', id: 'f7', digest: await digest.digest() }));
    await until(() => side.seen.received.length === 1);
    const [received] = side.seen.received;
    assert.equal(received.type, 'text/html');
    assert.equal(received.file.type, 'application/octet-stream');
    assert.equal(received.file.name, 'page.html');
    assert.equal(await received.file.text(), '<script>alert(1)</script>');
  });

  it('shows and saves a disguised file name as a plain one', async () => {
    const side = receiver();
    side.offer('f1', 10, '../../etc/\u202Efdp.exe\u0000', 'application/pdf');
    await until(() => side.seen.offers.length === 1);
    assert.deepEqual(side.seen.offers, ['_.._etc_fdp.exe']);
  });
});

describe('FileTransfers: the receiver decides', () => {
  it('waits for an asynchronous decision, counting the offer against the limits meanwhile', async () => {
    const [mine, theirs] = FakeDataChannel.pair();
    const decisions: Array<(accept: boolean) => void> = [];
    const { sink } = recordingSink();
    sink.offer = () => new Promise<boolean>((decide) => decisions.push(decide));
    new FileTransfers(asChannel(mine), sink, () => ({ ...DEFAULT_FILE_LIMITS, maxIncomingFiles: 1 }));
    const answers: FileMessage[] = [];
    theirs.addEventListener('message', (event) =>
      answers.push(JSON.parse((event as MessageEvent).data as string) as FileMessage),
    );
    theirs.send(JSON.stringify({ t: 'offer', id: 'f1', seq: 1, name: 'a', size: 1, type: '' }));
    theirs.send(JSON.stringify({ t: 'offer', id: 'f2', seq: 2, name: 'b', size: 1, type: '' }));
    await until(() => decisions.length === 1 && answers.length === 1);
    assert.deepEqual(answers, [{ t: 'reject', id: 'f2', reason: 'busy' }], 'the undecided offer holds the only place');
    decisions[0](false);
    await until(() => answers.length === 2);
    assert.deepEqual(answers[1], { t: 'reject', id: 'f1', reason: 'refused' });
  });

  it('drops the decision about an offer the sender cancelled meanwhile', async () => {
    const [mine, theirs] = FakeDataChannel.pair();
    let decide!: (accept: boolean) => void;
    const { sink, seen } = recordingSink();
    sink.offer = () => new Promise<boolean>((resolve) => (decide = resolve));
    new FileTransfers(asChannel(mine), sink, () => DEFAULT_FILE_LIMITS);
    theirs.send(JSON.stringify({ t: 'offer', id: 'f1', seq: 1, name: 'a', size: 1, type: '' }));
    await until(() => decide !== undefined);
    theirs.send(JSON.stringify({ t: 'cancel', id: 'f1' }));
    await until(() => seen.cancelled.length === 1);
    decide(true);
    await tick();
    assert.ok(
      !mine.sent.some((frame) => typeof frame === 'string' && frame.includes('"accept"')),
      'no accept after the cancel',
    );
  });
});

describe('FileTransfers: what a sender does', () => {
  function pair() {
    const [a, b] = FakeDataChannel.pair();
    const sender = recordingSink();
    const receiving = recordingSink();
    const limits = () => DEFAULT_FILE_LIMITS;
    const from = new FileTransfers(asChannel(a), sender.sink, limits);
    const to = new FileTransfers(asChannel(b), receiving.sink, limits);
    return { a, b, from, to, sender, receiving };
  }

  it('ignores a repeated accept: one send loop, the bytes sent once', async () => {
    const { a, b, from, receiving } = pair();
    // The receiver's accept is duplicated on the wire (a hostile or buggy peer).
    const send = b.send.bind(b);
    b.send = (data) => {
      send(data);
      if (typeof data === 'string' && data.includes('"accept"')) for (let copy = 0; copy < 3; copy += 1) send(data);
    };
    const result = await from.send(new Blob([new Uint8Array(200_000)]), 'twice.bin');
    assert.equal(result.status, 'delivered');
    const chunkBytes = a.sent
      .filter((frame): frame is ArrayBuffer => frame instanceof ArrayBuffer)
      .reduce((sum, frame) => sum + frame.byteLength - 4, 0);
    assert.equal(chunkBytes, 200_000);
    assert.equal(receiving.seen.received.length, 1);
  });

  it('keeps at most two offers out at once; the rest wait their turn and all arrive', async () => {
    const { a, from, receiving } = pair();
    let mostOut = 0;
    const send = a.send.bind(a);
    a.send = (data) => {
      send(data);
      mostOut = Math.max(mostOut, from.active);
    };
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, index) => from.send(new Blob([`file ${index}`]), `f${index}.txt`)),
    );
    assert.deepEqual(
      results.map((result) => result.status),
      Array(6).fill('delivered'),
    );
    assert.equal(mostOut, 2);
    assert.equal(receiving.seen.received.length, 6);
  });

  it('tells the sender why a busy receiver refused, as file-refused', async () => {
    const { a, from, sender } = pair();
    a.peer = undefined; // the test answers in the receiver's place
    const pending = from.send(new Blob(['x']), 'x.txt');
    await until(() => a.sent.length === 1);
    const offer = JSON.parse(a.sent[0] as string) as { id: string };
    a.dispatchEvent(
      new MessageEvent('message', { data: JSON.stringify({ t: 'reject', id: offer.id, reason: 'busy' }) }),
    );
    assert.deepEqual(await pending, { id: offer.id, status: 'refused', reason: 'busy' });
    assert.equal(sender.seen.errors.at(-1)?.code, 'file-refused');
    assert.match(sender.seen.errors.at(-1)!.message, /already receiving/u);
  });

  it('fails the files still waiting for a place when the connection goes away', async () => {
    const { from } = pair();
    const results = Array.from({ length: 4 }, (_, index) => from.send(new Blob([new Uint8Array(10)]), `f${index}`));
    from.close();
    const statuses = (await Promise.all(results)).map((result) => result.status);
    assert.ok(statuses.every((status) => status === 'failed' || status === 'delivered'));
    assert.ok(statuses.filter((status) => status === 'failed').length >= 2);
  });
});
