/** Payloads of the file-transfer events (part of the one event map in src/events.ts). */

export type TransferDirection = 'send' | 'receive';

export interface FileOfferDetail {
  id: string;
  name: string;
  size: number;
  type: string;
}

export interface FileProgressDetail {
  id: string;
  name: string;
  size: number;
  /** Bytes sent (or received and hashed) so far. */
  bytes: number;
  direction: TransferDirection;
}

export interface FileReceivedDetail extends FileOfferDetail {
  file: File;
  /** Hex SHA-256 of the whole file, checked against the sender's. */
  sha256: string;
}

export interface FileSentDetail extends FileOfferDetail {
  sha256: string;
}

export type FileCancelReason = 'cancelled' | 'refused' | 'too-large' | 'integrity' | 'disconnected';

export interface FileCancelDetail {
  id: string;
  name: string;
  direction: TransferDirection;
  /** Which side ended the transfer. */
  by: 'local' | 'remote';
  reason: FileCancelReason;
}

/** What `sendFile()` resolves to; it never rejects. */
export interface FileTransferResult {
  id: string;
  status: 'delivered' | 'refused' | 'cancelled' | 'failed';
  reason?: FileCancelReason | 'not-connected';
}
