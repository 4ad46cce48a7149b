/**
 * The file-transfer protocol on its own ordered data channel. Text frames are JSON control messages; binary frames
 * are chunks: a 4-byte big-endian transfer number, then file bytes. Chunks and the final `end` share one ordered
 * channel, so `end` (with the digest) always arrives after the last chunk.
 */
import * as v from 'valibot';

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

export const FileMessageSchema = v.variant('t', [
  v.object({
    t: v.literal('offer'),
    id,
    /** The number chunk frames carry for this transfer. */
    seq: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff)),
    name: v.pipe(v.string(), v.maxLength(255)),
    size: v.pipe(v.number(), v.integer(), v.minValue(0)),
    type: v.pipe(v.string(), v.maxLength(255)),
  }),
  v.object({ t: v.literal('accept'), id }),
  v.object({ t: v.literal('reject'), id, reason: v.picklist(['refused', 'too-large']) }),
  v.object({ t: v.literal('cancel'), id }),
  /** `digest`: see file-digest.ts. */
  v.object({ t: v.literal('end'), id, digest: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/u)) }),
  v.object({ t: v.literal('done'), id }),
  v.object({ t: v.literal('corrupt'), id }),
]);
export type FileMessage = v.InferOutput<typeof FileMessageSchema>;

export function parseFileMessage(text: string): FileMessage | undefined {
  try {
    const result = v.safeParse(FileMessageSchema, JSON.parse(text));
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}

export const CHUNK_HEADER_BYTES = 4;
/** 64 KiB frames: the size measured fastest on Chromium's SCTP stack, and safe for every browser's message limit. */
export const FRAME_BYTES = 64 * 1024;
export const CHUNK_PAYLOAD_BYTES = FRAME_BYTES - CHUNK_HEADER_BYTES;

export function encodeChunk(seq: number, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(CHUNK_HEADER_BYTES + payload.byteLength);
  new DataView(frame.buffer).setUint32(0, seq);
  frame.set(payload, CHUNK_HEADER_BYTES);
  return frame;
}

export function decodeChunk(frame: ArrayBuffer): { seq: number; payload: Uint8Array } | undefined {
  if (frame.byteLength < CHUNK_HEADER_BYTES) return undefined;
  return { seq: new DataView(frame).getUint32(0), payload: new Uint8Array(frame, CHUNK_HEADER_BYTES) };
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
