/**
 * The element's view of file transfers: file events reduced to one row per transfer, plus the object URLs that
 * let the person save a received file. URLs are revoked when a row is dismissed or the element goes away. It comes
 * with the panels chunk (panels.ts); the element holds the changes that happen before it arrived.
 */
import type { FileCancelDetail, FileOfferDetail, FileProgressDetail, FileReceivedDetail } from '../session/call-events.js';

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
  /** An offer this side's limits refused: no transfer ever started. */
  refusedOffer?: true;
}

/** Refused-offer rows kept at once (see cancelled()). */
const MAX_REFUSED_ROWS = 5;

export class TransferList {
  #rows = new Map<string, TransferRow>();

  get rows(): TransferRow[] {
    return [...this.#rows.values()];
  }

  offered(
    { id, name, size }: Pick<FileOfferDetail, 'id' | 'name' | 'size'>,
    direction: TransferRow['direction'],
  ): void {
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
    if (row) {
      this.#rows.set(detail.id, { ...row, status: 'stopped', reason: detail.reason });
      return;
    }
    // An offer this side's limits refused never had a row: the person still learns that a file did not come, and
    // why. A flood of such offers shows only the latest few. (An offer the host vetoed stays the host's business.)
    if (detail.direction !== 'receive' || (detail.reason !== 'too-large' && detail.reason !== 'busy')) return;
    const refused = this.rows.filter((other) => other.refusedOffer);
    for (const old of refused.slice(0, Math.max(0, refused.length - MAX_REFUSED_ROWS + 1))) this.#rows.delete(old.id);
    const { id, name, reason } = detail;
    this.#rows.set(id, {
      id,
      name,
      size: 0,
      bytes: 0,
      direction: 'receive',
      status: 'stopped',
      reason,
      refusedOffer: true,
    });
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
