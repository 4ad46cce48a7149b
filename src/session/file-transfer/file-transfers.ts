/**
 * Every file transfer of one peer connection, on a data channel of their own so that files never hold up the
 * call's other messages. Offers are accepted or refused by the receiver (the host may veto), progress is reported
 * both ways, either side may cancel, and a file is delivered only after its digest matched (file-digest.ts).
 */
import { ErrorCode, P2PCallError } from '../../errors.js';
import { randomId } from '../ids.js';
import { safeFileName } from '../safe-text.js';
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
import { MAX_OUTGOING_AT_ONCE, type FileLimits } from './file-limits.js';
import { decodeChunk, parseFileMessage, type FileMessage } from './file-messages.js';
import { IncomingTransfer } from './incoming-transfer.js';
import { OutgoingTransfer } from './outgoing-transfer.js';
import { ProgressThrottle } from './progress-throttle.js';

export interface FileTransferSink {
  /** Whether to take an offer within the limits: true (or a promise of it) to accept. The sender waits meanwhile. */
  offer(detail: FileOfferDetail): boolean | Promise<boolean>;
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
  /** The peer accepted and the bytes are flowing: a repeated `accept` must not start a second send loop. */
  started: boolean;
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
  /** Outgoing offers out at once (see MAX_OUTGOING_AT_ONCE); later files wait for a place, in order. */
  readonly #places = new Places(MAX_OUTGOING_AT_ONCE);
  #closed = false;

  /** `received`: messages the channel delivered before this existed (file-channel.ts), handled first, in order. */
  constructor(
    private readonly channel: RTCDataChannel,
    private readonly sink: FileTransferSink,
    private readonly limits: () => FileLimits,
    received: readonly MessageEvent[] = [],
  ) {
    this.#backpressure = new Backpressure(channel);
    channel.addEventListener('message', this.#handleMessage);
    channel.addEventListener('close', this.#handleClose);
    for (const event of received) this.#handleMessage(event);
  }

  /**
   * Offers a file to the peer and sends it once accepted; at most MAX_OUTGOING_AT_ONCE offers are out at a time, the
   * rest wait in order. Never rejects: the outcome is the result's `status`.
   */
  async send(file: Blob, fileName: string): Promise<FileTransferResult> {
    const id = randomId();
    const name = safeFileName(fileName);
    const { maxFileSize } = this.limits();
    if (file.size > maxFileSize) {
      this.sink.error(
        new P2PCallError(
          ErrorCode.FileTooLarge,
          `"${name}" is larger than the ${formatBytes(maxFileSize)} limit.`,
          true,
        ),
      );
      return { id, status: 'failed', reason: 'too-large' };
    }
    try {
      await this.#backpressure.open();
    } catch {
      return { id, status: 'failed', reason: 'disconnected' };
    }
    await this.#places.take();
    if (this.#closed || this.channel.readyState !== 'open') {
      this.#places.give();
      return { id, status: 'failed', reason: 'disconnected' };
    }
    const transfer = new OutgoingTransfer(id, this.#nextSeq++, file, name, this.channel, this.#backpressure);
    return new Promise<FileTransferResult>((settle) => {
      this.#sending.set(id, { transfer, throttle: new ProgressThrottle(file.size), settle, started: false });
      this.#post({ t: 'offer', id, name, size: file.size, type: file.type, seq: transfer.seq });
    });
  }

  /** Cancels a transfer in either direction; false when no such transfer is running. */
  cancel(id: string): boolean {
    const ended = this.#endSending(id, 'cancelled', 'local') ?? this.#endReceiving(id, 'cancelled', 'local');
    if (ended) this.#post({ t: 'cancel', id });
    return Boolean(ended);
  }

  /** Ends every transfer (the connection is going away); files still waiting for a place fail as disconnected. */
  close(): void {
    this.#closed = true;
    this.#places.release();
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
      this.sink.error(
        new P2PCallError(ErrorCode.BadMessage, 'Dropped a malformed file-transfer message from the peer.', true),
      );
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
        this.sink.error(new P2PCallError(code, `"${name}" ${REFUSED_BECAUSE[message.reason]}.`, true));
        return;
      }
      case 'cancel':
        void (
          this.#endSending(message.id, 'cancelled', 'remote') ?? this.#endReceiving(message.id, 'cancelled', 'remote')
        );
        return;
      case 'end':
        void this.#handleEnd(message.id, message.digest);
        return;
      case 'done': {
        const sending = this.#sending.get(message.id);
        if (!sending) return;
        this.#sending.delete(message.id);
        this.#places.give();
        const { transfer } = sending;
        this.sink.sent({
          id: transfer.id,
          name: transfer.name,
          size: transfer.file.size,
          type: transfer.file.type,
          digest: transfer.digest,
        });
        sending.settle({ id: transfer.id, status: 'delivered' });
        return;
      }
      case 'corrupt': {
        const name = this.#sending.get(message.id)?.transfer.name ?? '';
        if (this.#endSending(message.id, 'integrity', 'remote')) {
          this.sink.error(
            new P2PCallError(ErrorCode.FileIntegrity, `"${name}" arrived damaged and was discarded.`, true),
          );
        }
        return;
      }
    }
  }

  #handleOffer(offer: Extract<FileMessage, { t: 'offer' }>): void {
    if (this.#receiving.has(offer.id) || this.#receivingBySeq.has(offer.seq)) return; // a replay; ignore
    const name = safeFileName(offer.name);
    const refusal = this.#refusal(offer.size);
    if (refusal) {
      this.#post({ t: 'reject', id: offer.id, reason: refusal });
      this.sink.cancelled({ id: offer.id, name, direction: 'receive', by: 'local', reason: refusal });
      return;
    }
    // Counted against the limits while the host decides, so a burst of offers cannot all be waiting at once.
    const receiving = {
      transfer: new IncomingTransfer(offer.id, name, offer.size, offer.type),
      throttle: new ProgressThrottle(offer.size),
    };
    this.#receiving.set(offer.id, receiving);
    this.#receivingBySeq.set(offer.seq, receiving);
    void this.#decide(receiving, { id: offer.id, name, size: offer.size, type: offer.type });
  }

  /**
   * Asks the sink about an offer (`type` is what the sender claims; the received File is typed as plain bytes
   * whatever it says, see finish()) and answers the sender.
   */
  async #decide(receiving: Receiving, detail: FileOfferDetail): Promise<void> {
    const accepted = await Promise.resolve(this.sink.offer(detail)).catch(() => false);
    if (this.#receiving.get(detail.id) !== receiving) return; // cancelled, or the channel closed, meanwhile
    if (accepted) {
      this.#post({ t: 'accept', id: detail.id });
      return;
    }
    this.#forgetReceiving(detail.id);
    this.#post({ t: 'reject', id: detail.id, reason: 'refused' });
    this.sink.cancelled({ id: detail.id, name: detail.name, direction: 'receive', by: 'local', reason: 'refused' });
  }

  /** Why an offer of `size` bytes cannot be taken now, if it cannot: over a limit of this side's. */
  #refusal(size: number): 'too-large' | 'busy' | undefined {
    const { maxFileSize, maxIncomingFiles, maxIncomingBytes } = this.limits();
    if (size > maxFileSize) return 'too-large';
    let pending = size;
    for (const { transfer } of this.#receiving.values()) pending += transfer.size;
    return this.#receiving.size >= maxIncomingFiles || pending > maxIncomingBytes ? 'busy' : undefined;
  }

  async #pump(id: string): Promise<void> {
    const sending = this.#sending.get(id);
    if (!sending || sending.started) return;
    sending.started = true;
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
      this.sink.error(
        new P2PCallError(ErrorCode.FileFailed, `"${transfer.name}" could not be read: ${String(cause)}`, true),
      );
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
      this.sink.progress({
        id: transfer.id,
        name: transfer.name,
        size: transfer.size,
        bytes: transfer.bytes,
        direction: 'receive',
      });
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
      new P2PCallError(
        ErrorCode.FileIntegrity,
        `"${transfer.name}" arrived damaged (checksum mismatch) and was discarded.`,
        true,
      ),
    );
  }

  /** Stops an outgoing transfer and reports it; undefined when there was none. */
  #endSending(id: string, reason: FileCancelReason, by: 'local' | 'remote'): true | undefined {
    const sending = this.#sending.get(id);
    if (!sending) return undefined;
    this.#sending.delete(id);
    this.#places.give();
    sending.transfer.cancel();
    this.sink.cancelled({ id, name: sending.transfer.name, direction: 'send', by, reason });
    const status =
      reason === 'refused' || reason === 'too-large' || reason === 'busy'
        ? 'refused'
        : reason === 'cancelled'
          ? 'cancelled'
          : 'failed';
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

/** A counting semaphore: `take()` waits for a free place, `give()` hands it to the next in line, in order. */
class Places {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(places: number) {
    this.#free = places;
  }

  async take(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resume) => this.#waiting.push(resume));
  }

  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }

  /** Lets everyone waiting go (they find the transfers closed). */
  release(): void {
    for (const resume of this.#waiting.splice(0)) resume();
  }
}

const REFUSED_BECAUSE: Record<Extract<FileMessage, { t: 'reject' }>['reason'], string> = {
  refused: 'was refused by the other side',
  'too-large': 'is larger than the other side accepts',
  busy: 'was refused: the other side is already receiving as many files (or bytes) as it takes at once',
};

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
