/**
 * One file on its way in: chunks are hashed as they arrive and gathered into Blobs of a few MiB, so the browser can
 * move the bytes out of the JS heap while the transfer runs. The file is handed over only if its SHA-256 matches.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from './file-messages.js';

const BLOB_PART_BYTES = 4 * 1024 * 1024;

export class IncomingTransfer {
  bytes = 0;
  readonly #hash = sha256.create();
  readonly #parts: Blob[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly size: number,
    readonly type: string,
  ) {}

  /** Adds a chunk; false when it would exceed the announced size (a broken or lying sender). */
  append(payload: Uint8Array): boolean {
    if (this.bytes + payload.byteLength > this.size) return false;
    this.#hash.update(payload);
    this.#pending.push(payload);
    this.bytes += payload.byteLength;
    this.#pendingBytes += payload.byteLength;
    if (this.#pendingBytes >= BLOB_PART_BYTES) this.#flush();
    return true;
  }

  /** The received file, or undefined when it is incomplete or its hash differs from `expectedSha256`. */
  finish(expectedSha256: string): { file: File; sha256: string } | undefined {
    const actual = toHex(this.#hash.digest());
    if (this.bytes !== this.size || actual !== expectedSha256) return undefined;
    this.#flush();
    return { file: new File(this.#parts, this.name, { type: this.type }), sha256: actual };
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(new Blob(this.#pending as BlobPart[]));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
