/**
 * One file on its way in: chunks are hashed as they arrive and gathered into Blobs of a few MiB, so the browser can
 * move the bytes out of the JS heap while the transfer runs. The file is handed over only if its digest matches.
 */
import { FileDigest } from './file-digest.js';

const BLOB_PART_BYTES = 4 * 1024 * 1024;
/** Plain bytes: a browser downloads them rather than rendering them (see FileReceivedDetail.file). */
const SAFE_TYPE = 'application/octet-stream';

export class IncomingTransfer {
  bytes = 0;
  readonly #digest = new FileDigest();
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
    this.#digest.update(payload);
    this.#pending.push(payload);
    this.bytes += payload.byteLength;
    this.#pendingBytes += payload.byteLength;
    if (this.#pendingBytes >= BLOB_PART_BYTES) this.#flush();
    return true;
  }

  /** The received file, or undefined when it is incomplete or its digest differs from `expectedDigest`. */
  async finish(expectedDigest: string): Promise<{ file: File; digest: string } | undefined> {
    const actual = await this.#digest.digest();
    if (this.bytes !== this.size || actual !== expectedDigest) return undefined;
    this.#flush();
    return { file: new File(this.#parts, this.name, { type: SAFE_TYPE }), digest: actual };
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#parts.push(new Blob(this.#pending as BlobPart[]));
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}
