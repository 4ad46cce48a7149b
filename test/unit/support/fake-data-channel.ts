/**
 * A pair of in-memory data channels for unit tests of what runs over one (file transfers, the peer channel): ordered,
 * reliable, asynchronous like the real thing, binary frames copied on send as RTCDataChannel.send() does. No
 * backpressure: bufferedAmount stays 0.
 */
export class FakeDataChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'arraybuffer';
  peer?: FakeDataChannel;
  /** Every frame this end sent, in order. */
  readonly sent: Array<string | ArrayBuffer> = [];

  send(data: string | ArrayBufferView | ArrayBuffer): void {
    if (this.readyState !== 'open') throw new DOMException('not open', 'InvalidStateError');
    const frame = typeof data === 'string' ? data : copy(data);
    this.sent.push(frame);
    const peer = this.peer;
    setTimeout(() => {
      if (peer?.readyState === 'open') peer.dispatchEvent(new MessageEvent('message', { data: frame }));
    });
  }

  close(): void {
    for (const end of [this, this.peer]) {
      if (!end || end.readyState === 'closed') continue;
      end.readyState = 'closed';
      end.dispatchEvent(new Event('close'));
    }
  }

  /** Two connected ends. */
  static pair(): [FakeDataChannel, FakeDataChannel] {
    const a = new FakeDataChannel();
    const b = new FakeDataChannel();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }
}

function copy(data: ArrayBufferView | ArrayBuffer): ArrayBuffer {
  const view =
    data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return view.slice().buffer;
}

/** The ends typed as what the code under test expects. */
export const asChannel = (channel: FakeDataChannel) => channel as unknown as RTCDataChannel;
