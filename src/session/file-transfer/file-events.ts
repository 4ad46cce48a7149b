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
  /** The file's digest (SHA-256 over the SHA-256 of each 1 MiB block, 64 hex digits), checked against the sender's. */
  digest: string;
}

export interface FileSentDetail extends FileOfferDetail {
  digest: string;
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
