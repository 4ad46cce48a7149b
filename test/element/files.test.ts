import { expect } from '@open-wc/testing';
import { fileTransferTestHooks } from '../../src/session/file-transfer/outgoing-transfer.js';
import type { FileProgressDetail } from '../../src/index.js';
import { nextEvent } from '../support/call-helpers.js';
import { generatedFile, MiB } from '../support/generated-file.js';
import { callPair, connectedPair } from '../support/two-party.js';

const hex = (digest: ArrayBuffer) =>
  Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function sha256Hex(blob: Blob): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

/** The documented transfer digest, computed independently: SHA-256 over the SHA-256 of each 1 MiB block. */
async function blockDigestHex(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const list: number[] = [];
  for (let offset = 0; offset < bytes.byteLength; offset += MiB) {
    list.push(...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.subarray(offset, offset + MiB))));
  }
  return hex(await crypto.subtle.digest('SHA-256', new Uint8Array(list)));
}

describe('<p2p-call> file transfer', () => {
  afterEach(() => {
    delete fileTransferTestHooks.corruptFrame;
  });

  it('sends a 50 MB file peer to peer: same bytes and digest, progress rising to 100% on both sides', async () => {
    const { a, b } = await connectedPair();
    const file = generatedFile(50 * MiB + 12_345, 'design.bin'); // not a whole number of blocks or frames
    const expected = await sha256Hex(file);
    const expectedDigest = await blockDigestHex(file);
    const progress: Record<string, number[]> = { send: [], receive: [] };
    const track = (event: CustomEvent<FileProgressDetail>) => progress[event.detail.direction].push(event.detail.bytes);
    a.addEventListener('p2p-file-progress', track);
    b.addEventListener('p2p-file-progress', track);
    const offer = nextEvent(b, 'p2p-file-offer');
    const received = nextEvent(b, 'p2p-file-received');
    const sent = nextEvent(a, 'p2p-file-sent');

    const result = await a.sendFile(file);
    expect(result.status).to.equal('delivered');
    expect((await offer).detail).to.include({ name: 'design.bin', size: file.size });
    const { detail } = await received;
    expect(detail.file.size).to.equal(file.size);
    expect(detail.file.name).to.equal('design.bin');
    expect(await sha256Hex(detail.file)).to.equal(expected);
    expect(detail.digest).to.equal(expectedDigest);
    expect((await sent).detail.digest).to.equal(expectedDigest);
    for (const direction of ['send', 'receive']) {
      const values = progress[direction];
      // The start, the end, and a few on the way (at most one per PROGRESS_INTERVAL_MS: the count depends on speed).
      expect(values.length, direction).to.be.greaterThan(2);
      expect(
        values.every((value, i) => i === 0 || value >= values[i - 1]),
        `${direction} rises`,
      ).to.equal(true);
      expect(values.at(-1)).to.equal(file.size);
    }
    // Both UIs list the transfer as finished; the receiver can save it.
    await b.updateComplete;
    expect(b.shadowRoot!.querySelector('[part="file-download"]')!.getAttribute('download')).to.equal('design.bin');
    expect(a.state).to.equal('connected');
  });

  for (const side of ['sender', 'receiver'] as const) {
    it(`can be cancelled mid-way by the ${side}`, async () => {
      const { a, b } = await connectedPair();
      const cancelledAt = { a: nextEvent(a, 'p2p-file-cancel'), b: nextEvent(b, 'p2p-file-cancel') };
      const canceller = side === 'sender' ? a : b;
      canceller.addEventListener('p2p-file-progress', (event) => {
        if (event.detail.bytes > 4 * MiB) canceller.cancelFile(event.detail.id);
      });
      let received = false;
      b.addEventListener('p2p-file-received', () => (received = true));
      const result = await a.sendFile(generatedFile(40 * MiB));
      expect(result.status).to.equal(side === 'sender' ? 'cancelled' : 'cancelled');
      const [onA, onB] = [(await cancelledAt.a).detail, (await cancelledAt.b).detail];
      expect(onA).to.include({ direction: 'send', by: side === 'sender' ? 'local' : 'remote', reason: 'cancelled' });
      expect(onB).to.include({ direction: 'receive', by: side === 'sender' ? 'remote' : 'local', reason: 'cancelled' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).to.equal(false);
      expect(a.state).to.equal('connected');
    });
  }

  it('detects a corrupted chunk: a file-integrity error, no file delivered', async () => {
    const { a, b } = await connectedPair();
    fileTransferTestHooks.corruptFrame = 7;
    const errorOnB = nextEvent(b, 'p2p-error');
    const errorOnA = nextEvent(a, 'p2p-error');
    let received = false;
    b.addEventListener('p2p-file-received', () => (received = true));
    const result = await a.sendFile(generatedFile(2 * MiB));
    expect(result).to.deep.include({ status: 'failed', reason: 'integrity' });
    expect((await errorOnB).detail.code).to.equal('file-integrity');
    expect((await errorOnA).detail.code).to.equal('file-integrity');
    expect(received).to.equal(false);
  });

  it('dispatches p2p-file-offer once per offer, and an accepted offer gets its row', async () => {
    const { a, b } = await connectedPair();
    const offers: string[] = [];
    b.addEventListener('p2p-file-offer', (event) => offers.push(event.detail.id));
    const first = await a.sendFile(generatedFile(1000, 'one.bin'));
    const second = await a.sendFile(generatedFile(2000, 'two.bin'));
    expect([first.status, second.status]).to.deep.equal(['delivered', 'delivered']);
    expect(offers).to.deep.equal([first.id, second.id]);
    await b.updateComplete;
    const rows = [...b.shadowRoot!.querySelectorAll('[part="file"]')].map((row) => row.textContent!);
    expect(rows).to.have.length(2);
    expect(rows[0]).to.contain('one.bin');
  });

  it('a file refused with preventDefault() on the offer is not sent', async () => {
    const { a, b } = await connectedPair();
    b.addEventListener('p2p-file-offer', (event) => event.preventDefault());
    const sentBytes: number[] = [];
    a.addEventListener('p2p-file-progress', (event) => sentBytes.push(event.detail.bytes));
    let receivedProgress = 0;
    b.addEventListener('p2p-file-progress', () => (receivedProgress += 1));
    const error = nextEvent(a, 'p2p-error');
    const result = await a.sendFile(generatedFile(3 * MiB, 'contract.pdf'));
    expect(result.status).to.equal('refused');
    expect((await error).detail).to.include({ code: 'file-refused' });
    expect(sentBytes).to.deep.equal([]);
    expect(receivedProgress).to.equal(0);
  });

  it('refuses files over max-file-size on either side with file-too-large', async () => {
    const { a, b } = await connectedPair();
    b.setAttribute('max-file-size', String(MiB));
    await b.updateComplete;
    const error = nextEvent(a, 'p2p-error');
    const result = await a.sendFile(generatedFile(2 * MiB));
    expect(result).to.deep.include({ status: 'refused', reason: 'too-large' });
    expect((await error).detail.code).to.equal('file-too-large');

    a.maxFileSize = 1000;
    await a.updateComplete;
    const local = nextEvent(a, 'p2p-error');
    expect((await a.sendFile(generatedFile(2000))).reason).to.equal('too-large');
    expect((await local).detail.code).to.equal('file-too-large');

    // A value that is not a size, set during the call, is reported and leaves the limit in force as it was.
    const invalid = nextEvent(b, 'p2p-error');
    b.setAttribute('max-file-size', '10MB of anything');
    expect((await invalid).detail).to.include({ code: 'invalid-config', recoverable: true });
    expect(b.state).to.equal('connected');
    expect((await a.sendFile(generatedFile(MiB + 1))).reason).to.equal('too-large');
  });

  it('delivers what the sender calls an HTML page as plain bytes under a cleaned name', async () => {
    const { a, b } = await connectedPair();
    const received = nextEvent(b, 'p2p-file-received');
    const page = new File(['<script>parent.pwned = true</script>'], 'invoice\u202Elmth.pdf', { type: 'text/html' });
    expect((await a.sendFile(page)).status).to.equal('delivered');
    const { detail } = await received;
    expect(detail.type).to.equal('text/html'); // what the sender claimed, as information
    expect(detail.file.type).to.equal('application/octet-stream');
    expect(detail.name).to.equal('invoicelmth.pdf');
    await b.updateComplete;
    const link = b.shadowRoot!.querySelector<HTMLAnchorElement>('[part="file-download"]')!;
    expect(link.download).to.equal('invoicelmth.pdf');
    // Opening the link fetches bytes the browser will not render as a page of the host's origin.
    expect((await fetch(link.href)).headers.get('content-type')).to.equal('application/octet-stream');
  });

  it('refuses offers beyond max-incoming-files as busy, and both people see why', async () => {
    const { a, b } = await connectedPair();
    b.setAttribute('max-incoming-files', '1');
    await b.updateComplete;
    const refusedOnB = nextEvent(b, 'p2p-file-cancel');
    // The second file is offered while the first is still arriving (a sender keeps two offers out at once).
    const [first, second] = await Promise.all([
      a.sendFile(generatedFile(8 * MiB, 'first.bin')),
      a.sendFile(generatedFile(10, 'second.bin')),
    ]);
    expect(first.status).to.equal('delivered');
    expect(second).to.deep.include({ status: 'refused', reason: 'busy' });
    expect((await refusedOnB).detail).to.include({
      name: 'second.bin',
      direction: 'receive',
      by: 'local',
      reason: 'busy',
    });
    await b.updateComplete;
    const rows = [...b.shadowRoot!.querySelectorAll('[part="file"]')].map((row) => row.textContent);
    expect(rows.some((row) => /second\.bin/u.test(row!) && /too many files/u.test(row!))).to.equal(true);
  });

  it('sendFile before connecting resolves failed (not-connected) and reports it', async () => {
    const { a } = await callPair('broadcast', { autoJoin: false });
    const error = nextEvent(a, 'p2p-error');
    expect(await a.sendFile(generatedFile(10))).to.deep.include({ status: 'failed', reason: 'not-connected' });
    expect((await error).detail.code).to.equal('not-connected');
  });
});
