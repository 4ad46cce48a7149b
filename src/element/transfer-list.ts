/**
 * The element's view of file transfers: file events reduced to one row per transfer, plus the object URLs that
 * let the person save a received file. URLs are revoked when a row is dismissed or the element goes away. It comes
 * with the panels chunk (panels.ts); the element holds the changes that happen before it arrived.
 */
import type { FileCancelDetail, FileOfferDetail, FileProgressDetail, FileReceivedDetail } from '../events.js';

export interface TransferRow {
  id: string;
  name: string;
  size: number;
  bytes: number;
  direction: 'send' | 'receive';
  status: 'active' | 'done' | 'stopped';
  /** Why a stopped transfer stopped. */
  reason?: FileCancelDetail['reason'];
  /** For received files: where to download them from. */
  url?: string;
}

export class TransferList {
  #rows = new Map<string, TransferRow>();

  get rows(): TransferRow[] {
    return [...this.#rows.values()];
  }

  offered({ id, name, size }: Pick<FileOfferDetail, 'id' | 'name' | 'size'>, direction: TransferRow['direction']): void {
    this.#rows.set(id, { id, name, size, bytes: 0, direction, status: 'active' });
  }

  progress(detail: FileProgressDetail): void {
    const row = this.#rows.get(detail.id) ?? { ...detail, status: 'active' as const };
    this.#rows.set(detail.id, { ...row, bytes: detail.bytes });
  }

  received(detail: FileReceivedDetail): void {
    const row = this.#rows.get(detail.id);
    if (!row) return;
    this.#rows.set(detail.id, { ...row, bytes: detail.size, status: 'done', url: URL.createObjectURL(detail.file) });
  }

  sent(id: string): void {
    const row = this.#rows.get(id);
    if (row) this.#rows.set(id, { ...row, bytes: row.size, status: 'done' });
  }

  cancelled(detail: FileCancelDetail): void {
    const row = this.#rows.get(detail.id);
    if (row) this.#rows.set(detail.id, { ...row, status: 'stopped', reason: detail.reason });
    // A refused or too-large offer never showed a row on the receiving side: nothing to add.
  }

  dismiss(id: string): void {
    const row = this.#rows.get(id);
    if (row?.url) URL.revokeObjectURL(row.url);
    this.#rows.delete(id);
  }

  clear(): void {
    for (const id of [...this.#rows.keys()]) this.dismiss(id);
  }
}
