/**
 * The integrity check of a file transfer: SHA-256 of every 1 MiB block, then SHA-256 over the list of block digests.
 * Hashing block by block lets the browser's own SHA-256 (WebCrypto: native, off the main thread, several times the
 * speed of a JavaScript hash) check a file of any size without holding it whole. Both sides cut blocks at the same
 * byte offsets whatever the frame size, so the two values match exactly when every byte does.
 */
import { toHex } from '../ids.js';

export const DIGEST_BLOCK_BYTES = 1024 * 1024;

export class FileDigest {
  readonly #blockDigests: Promise<ArrayBuffer>[] = [];
  /** The block being filled. WebCrypto copies its input when called, so one buffer serves every block. */
  readonly #block = new Uint8Array(DIGEST_BLOCK_BYTES);
  #filled = 0;

  /** Adds the next bytes of the file, in pieces of any size. */
  update(bytes: Uint8Array): void {
    let offset = 0;
    if (this.#filled === 0) {
      // Fast path for the sender, which reads whole blocks: no copy.
      while (bytes.byteLength - offset >= DIGEST_BLOCK_BYTES) {
        this.#digestBlock(bytes.subarray(offset, offset + DIGEST_BLOCK_BYTES));
        offset += DIGEST_BLOCK_BYTES;
      }
    }
    while (offset < bytes.byteLength) {
      const take = Math.min(DIGEST_BLOCK_BYTES - this.#filled, bytes.byteLength - offset);
      this.#block.set(bytes.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === DIGEST_BLOCK_BYTES) {
        this.#digestBlock(this.#block);
        this.#filled = 0;
      }
    }
  }

  /** The file's digest as 64 hex digits. Call once, after the last byte. */
  async digest(): Promise<string> {
    if (this.#filled > 0) this.#digestBlock(this.#block.subarray(0, this.#filled));
    this.#filled = 0;
    const blocks = await Promise.all(this.#blockDigests);
    const list = new Uint8Array(blocks.length * 32);
    blocks.forEach((block, index) => list.set(new Uint8Array(block), index * 32));
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', list)));
  }

  #digestBlock(block: Uint8Array): void {
    this.#blockDigests.push(crypto.subtle.digest('SHA-256', block as Uint8Array<ArrayBuffer>));
  }
}
