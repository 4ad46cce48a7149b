// The file-transfer machinery is a chunk loaded on demand (file-channel.ts). These hold that chunk back on one side
// of a real data channel and check that nothing the peer sends meanwhile is lost or reordered.
import { expect } from '@open-wc/testing';
import type { P2PCallError } from '../../src/errors.js';
import type { FileCancelDetail, FileReceivedDetail } from '../../src/session/call-events.js';
import {
  FileChannel,
  loadFileTransfers,
  type FileTransfersModule,
} from '../../src/session/file-transfer/file-channel.js';
import type { FileTransferSink } from '../../src/session/file-transfer/file-transfers.js';
import { waitFor } from '../support/call-helpers.js';

/** Two connected RTCPeerConnections in this page, each with the negotiated file channel (as PeerLink opens it). */
async function channelPair() {
  const [left, right] = [new RTCPeerConnection(), new RTCPeerConnection()];
  const open = (pc: RTCPeerConnection) => {
    const channel = pc.createDataChannel('p2p-call-files', { negotiated: true, id: 1000, ordered: true });
    channel.binaryType = 'arraybuffer';
    return channel;
  };
  const channels = [open(left), open(right)];
  left.onicecandidate = (event) => event.candidate && void right.addIceCandidate(event.candidate);
  right.onicecandidate = (event) => event.candidate && void left.addIceCandidate(event.candidate);
  await left.setLocalDescription();
  await right.setRemoteDescription(left.localDescription!);
  await right.setLocalDescription();
  await left.setRemoteDescription(right.localDescription!);
  await waitFor(() => channels.every((channel) => channel.readyState === 'open'), 10_000, 'both channels open');
  return { channels, close: () => [left, right].forEach((pc) => pc.close()) };
}

function recordingSink(accept = true) {
  const events = {
    offers: [] as string[],
    received: [] as FileReceivedDetail[],
    cancelled: [] as FileCancelDetail[],
    errors: [] as P2PCallError[],
  };
  const sink: FileTransferSink = {
    offer: (detail) => (events.offers.push(detail.name), accept),
    progress: () => {},
    received: (detail) => events.received.push(detail),
    sent: () => {},
    cancelled: (detail) => events.cancelled.push(detail),
    error: (error) => events.errors.push(error),
  };
  return { sink, events };
}

/** The real chunk, handed over only when the test says so. */
function heldBackChunk() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let requests = 0;
  const load = async (): Promise<FileTransfersModule> => {
    requests += 1;
    await released;
    return loadFileTransfers();
  };
  return { load, release, requests: () => requests };
}

const file = (name: string, size: number) => {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.min(size, 65_536)));
  const parts = Array.from({ length: Math.ceil(size / bytes.length) }, (_, index) =>
    bytes.subarray(0, Math.min(bytes.length, size - index * bytes.length)),
  );
  return new File(parts, name);
};
/** Limits no test here reaches. */
const noLimits = () => ({ maxFileSize: Infinity, maxIncomingFiles: Infinity, maxIncomingBytes: Infinity });

const sameBytes = async (a: Blob, b: Blob) => {
  const [x, y] = [new Uint8Array(await a.arrayBuffer()), new Uint8Array(await b.arrayBuffer())];
  return x.length === y.length && x.every((byte, index) => byte === y[index]);
};

describe('file channel: the transfer machinery loads on demand', () => {
  it('holds offers that arrive before the chunk, then handles them in order: every file arrives intact', async () => {
    const { channels, close } = await channelPair();
    const sender = new FileChannel(channels[0], recordingSink().sink, noLimits);
    const chunk = heldBackChunk();
    const receiver = recordingSink();
    const receiving = new FileChannel(channels[1], receiver.sink, noLimits, chunk.load);

    const files = [file('one.bin', 3 * 65_536 + 7), file('two.bin', 10), file('three.bin', 0)];
    const results = files.map((each) => sender.send(each, each.name));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the offers are at the receiver, which cannot read them yet
    expect(receiver.events.offers).to.deep.equal([]);
    expect(chunk.requests()).to.equal(1); // the channel's opening asked for the chunk once; the offers did not again

    chunk.release();
    expect((await Promise.all(results)).map((result) => result.status)).to.deep.equal([
      'delivered',
      'delivered',
      'delivered',
    ]);
    expect(receiver.events.offers).to.deep.equal(['one.bin', 'two.bin', 'three.bin']);
    // Offers are handled in order; a smaller file may finish first.
    expect(receiver.events.received.map((detail) => detail.name).sort()).to.deep.equal([
      'one.bin',
      'three.bin',
      'two.bin',
    ]);
    for (const detail of receiver.events.received) {
      expect(
        await sameBytes(
          detail.file,
          files.find((each) => each.name === detail.name)!,
        ),
        detail.name,
      ).to.equal(true);
    }
    expect(receiver.events.errors).to.deep.equal([]);
    sender.close();
    receiving.close();
    close();
  });

  it('an offer and its cancel held together are handled in that order', async () => {
    const { channels, close } = await channelPair();
    const chunk = heldBackChunk();
    const receiver = recordingSink();
    const receiving = new FileChannel(channels[1], receiver.sink, noLimits, chunk.load);
    channels[0].send(JSON.stringify({ t: 'offer', id: 'f1', seq: 0, name: 'late.bin', size: 5, type: '' }));
    channels[0].send(JSON.stringify({ t: 'cancel', id: 'f1' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    chunk.release();
    await waitFor(() => receiver.events.cancelled.length === 1, 5000, 'the cancel');
    expect(receiver.events.offers).to.deep.equal(['late.bin']);
    expect(receiver.events.cancelled[0]).to.include({ id: 'f1', by: 'remote', reason: 'cancelled' });
    receiving.close();
    close();
  });

  it('sendFile waits for the chunk; a connection closed meanwhile resolves failed (disconnected)', async () => {
    const { channels, close } = await channelPair();
    const chunk = heldBackChunk();
    const sending = new FileChannel(channels[0], recordingSink().sink, noLimits, chunk.load);
    const result = sending.send(file('x.bin', 10), 'x.bin');
    sending.close();
    chunk.release();
    expect(await result).to.deep.equal({ id: '', status: 'failed', reason: 'disconnected' });
    close();
  });

  it('a chunk that cannot load is reported once, and sendFile resolves failed', async () => {
    const { channels, close } = await channelPair();
    const sink = recordingSink();
    const broken = new FileChannel(channels[0], sink.sink, noLimits, () =>
      Promise.reject(new TypeError('Failed to fetch')),
    );
    channels[1].send(JSON.stringify({ t: 'accept', id: 'a' }));
    channels[1].send(JSON.stringify({ t: 'accept', id: 'b' }));
    expect(await broken.send(file('x.bin', 10), 'x.bin')).to.deep.equal({ id: '', status: 'failed' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.events.errors.map((error) => error.code)).to.deep.equal(['file-failed']);
    broken.close();
    close();
  });
});
