/**
 * One file on its way out. The file is read in 1 MiB blocks, hashed as it is read, and cut into 64 KiB frames that
 * are sent only while the channel's queue has room: at most one block plus the channel's high-water mark is ever
 * held in memory, whatever the file's size.
 */
import type { Backpressure } from './backpressure.js';
import { DIGEST_BLOCK_BYTES, FileDigest } from './file-digest.js';
import { CHUNK_HEADER_BYTES, CHUNK_PAYLOAD_BYTES, encodeChunk, FRAME_BYTES } from './file-messages.js';

/** Test-only: corrupt the frame with this index after hashing, to prove the receiver notices. Never set in production. */
export const fileTransferTestHooks: { corruptFrame?: number } = {};

export class OutgoingTransfer {
  bytes = 0;
  digest = '';
  #cancelled = false;

  constructor(
    readonly id: string,
    readonly seq: number,
    readonly file: Blob,
    readonly name: string,
    private readonly channel: RTCDataChannel,
    private readonly backpressure: Backpressure,
  ) {}

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    this.#cancelled = true;
  }

  /** Sends every chunk; `onProgress` after each frame. Returns false if cancelled or the channel closed midway. */
  async pump(onProgress: (bytes: number) => void): Promise<boolean> {
    const digest = new FileDigest();
    const frameBuffer = new Uint8Array(FRAME_BYTES); // every frame is written here: send() copies it
    let frameIndex = 0;
    for (let offset = 0; offset < this.file.size; offset += DIGEST_BLOCK_BYTES) {
      const block = new Uint8Array(await this.file.slice(offset, offset + DIGEST_BLOCK_BYTES).arrayBuffer());
      digest.update(block);
      for (let start = 0; start < block.byteLength; start += CHUNK_PAYLOAD_BYTES) {
        await this.backpressure.ready();
        if (this.#cancelled || this.channel.readyState !== 'open') return false;
        const frame = encodeChunk(this.seq, block.subarray(start, start + CHUNK_PAYLOAD_BYTES), frameBuffer);
        if (fileTransferTestHooks.corruptFrame === frameIndex++) frame[frame.length - 1] ^= 0xff;
        this.channel.send(frame);
        this.bytes += frame.byteLength - CHUNK_HEADER_BYTES;
        onProgress(this.bytes);
      }
    }
    this.digest = await digest.digest();
    return !this.#cancelled;
  }
}
