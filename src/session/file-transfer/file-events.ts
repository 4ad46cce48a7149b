/** Payloads of the file-transfer events (part of the one event map in src/events.ts). */

export type TransferDirection = 'send' | 'receive';

export interface FileOfferDetail {
  id: string;
  /** The sender's file name, made safe to show and save (no path, control or bidi characters; capped length). */
  name: string;
  size: number;
  /** The MIME type the sender claims. Information only: a received `File` is always `application/octet-stream`. */
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
  /**
   * The bytes, typed `application/octet-stream` whatever the sender claimed, so that opening them (a download link
   * opened in a tab) never runs the sender's HTML or script on the host's origin.
   */
  file: File;
  /** The file's digest (SHA-256 over the SHA-256 of each 1 MiB block, 64 hex digits), checked against the sender's. */
  digest: string;
}

export interface FileSentDetail extends FileOfferDetail {
  digest: string;
}

/** `busy`: the receiver was already taking as many files, or bytes, at once as it accepts (`max-incoming-files`). */
export type FileCancelReason = 'cancelled' | 'refused' | 'too-large' | 'busy' | 'integrity' | 'disconnected';

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
