/**
 * The file channel of one connection, with the transfer machinery (file-transfers.ts and all it uses) in a chunk of
 * its own: the script-tag bundle does not carry it at page load. The chunk is fetched when the channel opens (the
 * call just connected), so a first file rarely waits for it; sendFile() waits when it must. A message from the peer
 * that arrives before the chunk is held, in order, and handed over before any later one: none is lost or reordered.
 */
import { ErrorCode, P2PCallError } from '../../errors.js';
import type { FileTransferResult } from './file-events.js';
import type { FileLimits } from './file-limits.js';
import type { FileTransfers, FileTransferSink } from './file-transfers.js';

export type FileTransfersModule = typeof import('./file-transfers.js');
export const loadFileTransfers = (): Promise<FileTransfersModule> => import('./file-transfers.js');

export class FileChannel {
  #transfers?: FileTransfers;
  #loading?: Promise<FileTransfers | undefined>;
  readonly #held: MessageEvent[] = [];
  #closed = false;

  /** `load` is for tests, which hold the chunk back to see what arrives meanwhile. */
  constructor(
    private readonly channel: RTCDataChannel,
    private readonly sink: FileTransferSink,
    private readonly limits: () => FileLimits,
    private readonly load = loadFileTransfers,
  ) {
    channel.addEventListener('message', this.#hold);
    channel.addEventListener('open', this.#ready);
  }

  /** Offers a file once the machinery is here. Never rejects: the outcome is the result's `status`. */
  async send(file: Blob, name: string): Promise<FileTransferResult> {
    const transfers = this.#transfers ?? (await this.#ready());
    if (transfers) return transfers.send(file, name);
    return this.#closed ? { id: '', status: 'failed', reason: 'disconnected' } : { id: '', status: 'failed' };
  }

  /** Cancels a transfer in either direction; false when no such transfer is running. */
  cancel(id: string): boolean {
    return this.#transfers?.cancel(id) ?? false;
  }

  /** Ends every transfer (the connection is going away). */
  close(): void {
    this.#closed = true;
    this.#release();
    this.#held.length = 0;
    this.#transfers?.close();
  }

  #hold = (event: MessageEvent): void => {
    this.#held.push(event);
    void this.#ready();
  };

  #release(): void {
    this.channel.removeEventListener('message', this.#hold);
    this.channel.removeEventListener('open', this.#ready);
  }

  #ready = (): Promise<FileTransfers | undefined> =>
    (this.#loading ??= this.load().then(
      ({ FileTransfers }) => {
        if (this.#closed) return undefined;
        this.#release();
        this.#transfers = new FileTransfers(this.channel, this.sink, this.limits, this.#held.splice(0));
        return this.#transfers;
      },
      (cause: unknown) => {
        // Offline, or the chunk is missing from the server: no file moves on this connection (the next one tries
        // again). Said once, not once per message.
        this.#release();
        this.#held.length = 0;
        this.sink.error(
          new P2PCallError(ErrorCode.FileFailed, `File transfer is not available: ${String(cause)}`, true),
        );
        return undefined;
      },
    ));
}
