/**
 * Where a connection's file transfers report to: the session's events, and the decision about each offer. That is
 * the host's `acceptFile` when it gave one; otherwise the offer is emitted as `file-offer` and accepted unless a
 * listener refused it by id, there and then (`refuseFile`).
 */
import type { P2PCallError } from '../../errors.js';
import type { CallEventMap } from '../call-events.js';
import type { FileOfferDetail } from './file-events.js';
import type { FileTransferSink } from './file-transfers.js';

type FileEvents = 'file-offer' | 'file-progress' | 'file-received' | 'file-sent' | 'file-cancel' | 'error';

export class FileOffers {
  readonly #refused = new Set<string>();

  constructor(
    private readonly emit: <K extends FileEvents>(name: K, detail: CallEventMap[K]) => void,
    private readonly acceptFile?: (offer: FileOfferDetail) => boolean | Promise<boolean>,
  ) {}

  /** Refuses the offer being announced (from a `file-offer` listener). */
  refuse(id: string): void {
    this.#refused.add(id);
  }

  readonly sink: FileTransferSink = {
    offer: (detail) => {
      if (this.acceptFile) return this.acceptFile(detail);
      this.emit('file-offer', detail);
      return !this.#refused.delete(detail.id);
    },
    progress: (detail) => this.emit('file-progress', detail),
    received: (detail) => this.emit('file-received', detail),
    sent: (detail) => this.emit('file-sent', detail),
    cancelled: (detail) => this.emit('file-cancel', detail),
    error: (error: P2PCallError) => this.emit('error', error.toDetail()),
  };
}
