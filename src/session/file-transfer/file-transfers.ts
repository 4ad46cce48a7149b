/**
 * Every file transfer of one peer connection, on a data channel of their own so that files never hold up the
 * call's other messages. Offers are accepted or refused by the receiver (the host may veto), progress is reported
 * both ways, either side may cancel, and a file is delivered only after its digest matched (file-digest.ts).
 */
import { ErrorCode, P2PCallError } from '../../errors.js';
import { randomId } from '../ids.js';
import { Backpressure } from './backpressure.js';
import type {
  FileCancelDetail,
  FileCancelReason,
  FileOfferDetail,
  FileProgressDetail,
  FileReceivedDetail,
  FileSentDetail,
  FileTransferResult,
} from './file-events.js';
import { decodeChunk, parseFileMessage, type FileMessage } from './file-messages.js';
import { IncomingTransfer } from './incoming-transfer.js';
import { OutgoingTransfer } from './outgoing-transfer.js';
import { ProgressThrottle } from './progress-throttle.js';

export interface FileTransferSink {
  offer(detail: FileOfferDetail): boolean; // true to accept
  progress(detail: FileProgressDetail): void;
  received(detail: FileReceivedDetail): void;
  sent(detail: FileSentDetail): void;
  cancelled(detail: FileCancelDetail): void;
  error(error: P2PCallError): void;
}

interface Sending {
  transfer: OutgoingTransfer;
  throttle: ProgressThrottle;
  settle: (result: FileTransferResult) => void;
}

interface Receiving {
  transfer: IncomingTransfer;
  throttle: ProgressThrottle;
}

export class FileTransfers {
  readonly #backpressure: Backpressure;
  readonly #sending = new Map<string, Sending>();
  readonly #receiving = new Map<string, Receiving>();
  /** Incoming transfers by the number their chunk frames carry. */
  readonly #receivingBySeq = new Map<number, Receiving>();
  #nextSeq = 0;

  /** `received`: messages the channel delivered before this existed (file-channel.ts), handled first, in order. */
  constructor(
    private readonly channel: RTCDataChannel,
    private readonly sink: FileTransferSink,
    private readonly maxFileSize: () => number,
    received: readonly MessageEvent[] = [],
  ) {
    this.#backpressure = new Backpressure(channel);
    channel.addEventListener('message', this.#handleMessage);
    channel.addEventListener('close', this.#handleClose);
    for (const event of received) this.#handleMessage(event);
  }

  /** Offers a file to the peer and sends it once accepted. Never rejects: the outcome is the result's `status`. */
  async send(file: Blob, name: string): Promise<FileTransferResult> {
    const id = randomId();
    const offer = { id, name, size: file.size, type: file.type };
    if (file.size > this.maxFileSize()) {
      this.sink.error(
        new P2PCallError(ErrorCode.FileTooLarge, `"${name}" is larger than the ${formatBytes(this.maxFileSize())} limit.`, true),
      );
      return { id, status: 'failed', reason: 'too-large' };
    }
    try {
      await this.#backpressure.open();
    } catch {
      return { id, status: 'failed', reason: 'disconnected' };
    }
    const transfer = new OutgoingTransfer(id, this.#nextSeq++, file, name, this.channel, this.#backpressure);
    return new Promise<FileTransferResult>((settle) => {
      this.#sending.set(id, { transfer, throttle: new ProgressThrottle(file.size), settle });
      this.#post({ t: 'offer', ...offer, seq: transfer.seq });
    });
  }

  /** Cancels a transfer in either direction; false when no such transfer is running. */
  cancel(id: string): boolean {
    const ended = this.#endSending(id, 'cancelled', 'local') ?? this.#endReceiving(id, 'cancelled', 'local');
    if (ended) this.#post({ t: 'cancel', id });
    return Boolean(ended);
  }

  /** Ends every transfer (the connection is going away). */
  close(): void {
    this.channel.removeEventListener('message', this.#handleMessage);
    this.channel.removeEventListener('close', this.#handleClose);
    this.#handleClose();
  }

  get active(): number {
    return this.#sending.size + this.#receiving.size;
  }

  #handleClose = (): void => {
    for (const id of [...this.#sending.keys()]) this.#endSending(id, 'disconnected', 'local');
    for (const id of [...this.#receiving.keys()]) this.#endReceiving(id, 'disconnected', 'local');
  };

  #handleMessage = (event: MessageEvent): void => {
    if (event.data instanceof ArrayBuffer) {
      this.#handleChunk(event.data);
      return;
    }
    const message = typeof event.data === 'string' ? parseFileMessage(event.data) : undefined;
    if (!message) {
      this.sink.error(new P2PCallError(ErrorCode.BadMessage, 'Dropped a malformed file-transfer message from the peer.', true));
      return;
    }
    this.#handleControl(message);
  };

  #handleControl(message: FileMessage): void {
    switch (message.t) {
      case 'offer':
        this.#handleOffer(message);
        return;
      case 'accept':
        void this.#pump(message.id);
        return;
      case 'reject': {
        const name = this.#sending.get(message.id)?.transfer.name ?? '';
        if (!this.#endSending(message.id, message.reason, 'remote')) return;
        const code = message.reason === 'too-large' ? ErrorCode.FileTooLarge : ErrorCode.FileRefused;
        const why = message.reason === 'too-large' ? 'is larger than the other side accepts' : 'was refused by the other side';
        this.sink.error(new P2PCallError(code, `"${name}" ${why}.`, true));
        return;
      }
      case 'cancel':
        void (this.#endSending(message.id, 'cancelled', 'remote') ?? this.#endReceiving(message.id, 'cancelled', 'remote'));
        return;
      case 'end':
        void this.#handleEnd(message.id, message.digest);
        return;
      case 'done': {
        const sending = this.#sending.get(message.id);
        if (!sending) return;
        this.#sending.delete(message.id);
        const { transfer } = sending;
        this.sink.sent({ id: transfer.id, name: transfer.name, size: transfer.file.size, type: transfer.file.type, digest: transfer.digest });
        sending.settle({ id: transfer.id, status: 'delivered' });
        return;
      }
      case 'corrupt': {
        const name = this.#sending.get(message.id)?.transfer.name ?? '';
        if (this.#endSending(message.id, 'integrity', 'remote')) {
          this.sink.error(new P2PCallError(ErrorCode.FileIntegrity, `"${name}" arrived damaged and was discarded.`, true));
        }
        return;
      }
    }
  }

  #handleOffer(offer: Extract<FileMessage, { t: 'offer' }>): void {
    if (this.#receiving.has(offer.id) || this.#receivingBySeq.has(offer.seq)) return; // a replay; ignore
    const detail = { id: offer.id, name: offer.name, size: offer.size, type: offer.type };
    if (offer.size > this.maxFileSize()) {
      this.#post({ t: 'reject', id: offer.id, reason: 'too-large' });
      this.sink.cancelled({ id: offer.id, name: offer.name, direction: 'receive', by: 'local', reason: 'too-large' });
      return;
    }
    if (!this.sink.offer(detail)) {
      this.#post({ t: 'reject', id: offer.id, reason: 'refused' });
      this.sink.cancelled({ id: offer.id, name: offer.name, direction: 'receive', by: 'local', reason: 'refused' });
      return;
    }
    const receiving = {
      transfer: new IncomingTransfer(offer.id, offer.name, offer.size, offer.type),
      throttle: new ProgressThrottle(offer.size),
    };
    this.#receiving.set(offer.id, receiving);
    this.#receivingBySeq.set(offer.seq, receiving);
    this.#post({ t: 'accept', id: offer.id });
  }

  async #pump(id: string): Promise<void> {
    const sending = this.#sending.get(id);
    if (!sending) return;
    const { transfer, throttle } = sending;
    const progress = (bytes: number) => {
      if (throttle.shouldReport(bytes)) {
        this.sink.progress({ id, name: transfer.name, size: transfer.file.size, bytes, direction: 'send' });
      }
    };
    progress(0);
    let complete: boolean;
    try {
      complete = await transfer.pump(progress);
    } catch (cause) {
      // Reading the file failed (it was deleted or changed on disk while sending).
      this.#post({ t: 'cancel', id });
      this.#endSending(id, 'cancelled', 'local');
      this.sink.error(new P2PCallError(ErrorCode.FileFailed, `"${transfer.name}" could not be read: ${String(cause)}`, true));
      return;
    }
    if (complete) this.#post({ t: 'end', id, digest: transfer.digest });
  }

  #handleChunk(frame: ArrayBuffer): void {
    const chunk = decodeChunk(frame);
    const receiving = chunk && this.#receivingBySeq.get(chunk.seq);
    if (!chunk || !receiving) return; // a chunk of a transfer already cancelled
    const { transfer, throttle } = receiving;
    if (!transfer.append(chunk.payload)) {
      this.#failIntegrity(receiving);
      return;
    }
    if (throttle.shouldReport(transfer.bytes)) {
      this.sink.progress({ id: transfer.id, name: transfer.name, size: transfer.size, bytes: transfer.bytes, direction: 'receive' });
    }
  }

  async #handleEnd(id: string, expectedDigest: string): Promise<void> {
    const receiving = this.#receiving.get(id);
    if (!receiving) return;
    const { transfer } = receiving;
    const result = await transfer.finish(expectedDigest);
    if (this.#receiving.get(id) !== receiving) return; // cancelled or closed while the digest was computed
    if (!result) {
      this.#failIntegrity(receiving);
      return;
    }
    this.#forgetReceiving(id);
    this.#post({ t: 'done', id });
    this.sink.received({ id, name: transfer.name, size: transfer.size, type: transfer.type, ...result });
  }

  #failIntegrity({ transfer }: Receiving): void {
    this.#post({ t: 'corrupt', id: transfer.id });
    this.#endReceiving(transfer.id, 'integrity', 'local');
    this.sink.error(
      new P2PCallError(ErrorCode.FileIntegrity, `"${transfer.name}" arrived damaged (checksum mismatch) and was discarded.`, true),
    );
  }

  /** Stops an outgoing transfer and reports it; undefined when there was none. */
  #endSending(id: string, reason: FileCancelReason, by: 'local' | 'remote'): true | undefined {
    const sending = this.#sending.get(id);
    if (!sending) return undefined;
    this.#sending.delete(id);
    sending.transfer.cancel();
    this.sink.cancelled({ id, name: sending.transfer.name, direction: 'send', by, reason });
    const status = reason === 'refused' || reason === 'too-large' ? 'refused' : reason === 'cancelled' ? 'cancelled' : 'failed';
    sending.settle({ id, status, reason });
    return true;
  }

  #endReceiving(id: string, reason: FileCancelReason, by: 'local' | 'remote'): true | undefined {
    const receiving = this.#receiving.get(id);
    if (!receiving) return undefined;
    this.#forgetReceiving(id);
    this.sink.cancelled({ id, name: receiving.transfer.name, direction: 'receive', by, reason });
    return true;
  }

  #forgetReceiving(id: string): void {
    const receiving = this.#receiving.get(id);
    this.#receiving.delete(id);
    for (const [seq, entry] of this.#receivingBySeq) if (entry === receiving) this.#receivingBySeq.delete(seq);
  }

  #post(message: FileMessage): void {
    if (this.channel.readyState === 'open') this.channel.send(JSON.stringify(message));
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
