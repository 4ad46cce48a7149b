import { expect } from '@open-wc/testing';
import { frameBrightness, nextEvent, waitFor, waitForFrames } from '../support/call-helpers.js';
import { generatedFile, MiB } from '../support/generated-file.js';
import { paintingCanvas } from '../support/session-pair.js';
import { connectedPair } from '../support/two-party.js';

describe('<p2p-call> sharing and app data', () => {
  it('shows a shared canvas in the remote aux view, with a preview for the sharer; stop and share again', async () => {
    const { a, b } = await connectedPair();
    const canvas = paintingCanvas(640, 360);
    const remoteStart = nextEvent(b, 'p2p-share-start');
    const localStart = nextEvent(a, 'p2p-share-start');
    a.shareStream(canvas.stream);
    expect((await localStart).detail.side).to.equal('local');
    expect((await remoteStart).detail.side).to.equal('remote');
    await b.updateComplete;
    const auxVideo = b.shadowRoot!.querySelector<HTMLVideoElement>('video.aux-video')!;
    await waitForFrames(auxVideo, 5);
    expect(frameBrightness(auxVideo)).to.be.greaterThan(20);
    expect(b.shadowRoot!.querySelector('.stage')!.classList.contains('sharing')).to.equal(true);
    await a.updateComplete;
    expect(a.shadowRoot!.querySelector('[part="share-preview"]')).to.not.equal(null);
    expect(a.shadowRoot!.querySelector('[part="share-button"]')!.getAttribute('aria-pressed')).to.equal('true');
    await expect(b).to.be.accessible();

    const remoteEnd = nextEvent(b, 'p2p-share-end');
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="share-button"]')!.click(); // the button stops a share
    expect((await remoteEnd).detail.side).to.equal('remote');
    await b.updateComplete;
    expect(b.shadowRoot!.querySelector('.stage')!.classList.contains('sharing')).to.equal(false);

    const again = nextEvent(b, 'p2p-share-start');
    a.shareStream(canvas.stream);
    await again;
    await b.updateComplete;
    await waitForFrames(b.shadowRoot!.querySelector<HTMLVideoElement>('video.aux-video')!, 5);
    expect(a.state).to.equal('connected');
    canvas.stop();
  });

  it('feeds a slotted aux video with the remote share', async () => {
    const { a, b } = await connectedPair();
    const slotted = document.createElement('video');
    slotted.slot = 'aux';
    slotted.muted = true;
    b.append(slotted);
    const canvas = paintingCanvas();
    a.shareStream(canvas.stream);
    await waitFor(() => Boolean(b.remoteShareStream), 10_000, 'remote share');
    await b.updateComplete;
    expect(slotted.srcObject).to.equal(b.remoteShareStream);
    canvas.stop();
  });

  it('send() carries JSON and binary data both ways, in order', async () => {
    const { a, b } = await connectedPair();
    const onB: unknown[] = [];
    const onA: unknown[] = [];
    b.addEventListener('p2p-data', (event) => onB.push(event.detail.data));
    a.addEventListener('p2p-data', (event) => onA.push(event.detail.data));
    a.send({ field: 'salary', value: 'EUR 72,000' });
    a.send([1, 'two', null]);
    a.send(new Uint8Array([1, 2, 3, 250]));
    b.send('pong');
    await waitFor(() => onB.length === 3 && onA.length === 1, 5000, 'all data');
    expect(onB[0]).to.deep.equal({ field: 'salary', value: 'EUR 72,000' });
    expect(onB[1]).to.deep.equal([1, 'two', null]);
    expect(onB[2]).to.be.instanceOf(ArrayBuffer);
    expect([...new Uint8Array(onB[2] as ArrayBuffer)]).to.deep.equal([1, 2, 3, 250]);
    expect(onA).to.deep.equal(['pong']);
  });

  it('send() refuses what it cannot carry with typed errors', async () => {
    const { a } = await connectedPair();
    expect(() => a.send(new Uint8Array(70 * 1024)))
      .to.throw()
      .with.property('code', 'message-too-large');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => a.send(cyclic))
      .to.throw()
      .with.property('code', 'bad-message');
    a.leave();
    expect(() => a.send('late'))
      .to.throw()
      .with.property('code', 'not-connected');
  });

  it('chat: typed in one panel, shown in both', async () => {
    const { a, b } = await connectedPair();
    const chatOnB = nextEvent(b, 'p2p-chat');
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="chat-button"]')!.click();
    await a.updateComplete;
    const input = a.shadowRoot!.querySelector<HTMLInputElement>('[part="chat-input"]')!;
    input.value = 'Can you share the contract?';
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="chat-send-button"]')!.click();
    expect((await chatOnB).detail).to.include({ text: 'Can you share the contract?', from: 'remote', name: 'Ada' });
    await b.updateComplete;
    expect(b.shadowRoot!.querySelector('.badge')!.textContent).to.equal('1');
    await a.updateComplete;
    expect(a.shadowRoot!.querySelector('.chat-lines')!.textContent).to.contain('Can you share the contract?');
    await expect(a).to.be.accessible();
  });

  it('1,000 app messages arrive in order while a file transfer runs', async () => {
    const { a, b } = await connectedPair();
    const got: number[] = [];
    b.addEventListener('p2p-data', (event) => got.push((event.detail.data as { seq: number }).seq));
    const transfer = a.sendFile(generatedFile(16 * MiB));
    await nextEvent(a, 'p2p-file-progress');
    for (let seq = 0; seq < 1000; seq += 1) a.send({ seq, cursor: { line: seq % 80, column: 3 } });
    await waitFor(() => got.length === 1000, 20_000, '1000 messages');
    expect(got).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
    expect((await transfer).status).to.equal('delivered');
  });
});
