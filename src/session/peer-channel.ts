/**
 * The main data channel as the session speaks it: what `send()`/`sendChat()` put on it, and what arrives turned into
 * calls on typed handlers. Text frames are the session's messages (peer-messages.ts), checked field by field; binary
 * frames are the host's app data.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import {
  encodePeerMessage,
  MAX_CHAT_LENGTH,
  MAX_MESSAGE_BYTES,
  parsePeerMessage,
  type PeerMessage,
} from './peer-messages.js';

type Handlers = { [K in PeerMessage['t']]: (message: Extract<PeerMessage, { t: K }>) => void };

export interface PeerChannelHandlers extends Omit<Handlers, 'data'> {
  /** Host app data: a JSON value, or an ArrayBuffer for binary frames. */
  data(data: unknown): void;
  /** A text frame that is not a known, well-formed message (dropped). */
  malformed(): void;
}

/** Hands one frame from the peer to its handler. */
export function receivePeerFrame(frame: string | Uint8Array, handlers: PeerChannelHandlers): void {
  if (typeof frame !== 'string') {
    handlers.data(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength));
    return;
  }
  const message = parsePeerMessage(frame);
  if (!message) {
    handlers.malformed();
    return;
  }
  if (message.t === 'data') handlers.data(message.data);
  else (handlers[message.t] as (message: PeerMessage) => void)(message);
}

/**
 * The frame `send(data)` puts on the channel: binary as it is, anything else as a JSON `data` message. Throws a
 * P2PCallError for what cannot be sent (not serialisable, over 64 KiB).
 */
export function appDataFrame(data: unknown): string | Uint8Array {
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.byteLength > MAX_MESSAGE_BYTES) throw tooLarge(bytes.byteLength);
    return bytes;
  }
  let text: string | undefined;
  try {
    text = data === undefined ? undefined : JSON.stringify({ t: 'data', data } satisfies PeerMessage);
  } catch {
    text = undefined; // a cycle or a BigInt
  }
  if (text === undefined || typeof data === 'function' || typeof data === 'symbol') {
    throw new P2PCallError(ErrorCode.BadMessage, 'send() needs a JSON-serialisable value or binary data.', true);
  }
  // The limit is in bytes on the wire (UTF-8: up to three per UTF-16 unit), counted only where it could be reached.
  if (text.length * 3 > MAX_MESSAGE_BYTES) {
    const bytes = new TextEncoder().encode(text).byteLength;
    if (bytes > MAX_MESSAGE_BYTES) throw tooLarge(bytes);
  }
  return text;
}

/** A chat line as sent: trimmed and capped; undefined when nothing is left to send. */
export function chatLine(text: string): string | undefined {
  return text.trim().slice(0, MAX_CHAT_LENGTH) || undefined;
}

export { encodePeerMessage };

function tooLarge(bytes: number): P2PCallError {
  return new P2PCallError(
    ErrorCode.MessageTooLarge,
    `send() takes at most ${MAX_MESSAGE_BYTES} bytes per message (got ${bytes}); use sendFile() for larger data.`,
    true,
  );
}
