/**
 * Messages the two sessions exchange on the main data channel, validated on receipt: a peer is another person's
 * code, so nothing it sends is trusted to be well formed. Binary frames on this channel are the host's app data.
 */
import * as v from 'valibot';

export const MAX_CHAT_LENGTH = 2000;
/** Largest text frame on the main channel: every browser delivers 64 KiB messages. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

const streamId = v.pipe(v.string(), v.maxLength(128));

export const PeerMessageSchema = v.variant('t', [
  /** The sender's microphone/camera state and the id of its camera stream ('' for none); on connect and on change. */
  v.object({ t: v.literal('media'), muted: v.boolean(), cameraOff: v.boolean(), stream: streamId }),
  /** The sender started (or stopped) an auxiliary stream: a shared screen or document view. */
  v.object({ t: v.literal('share'), stream: streamId, active: v.boolean() }),
  /** Host application data (any JSON value), from `send()`. */
  v.object({ t: v.literal('data'), data: v.unknown() }),
  /** A chat line. */
  v.object({ t: v.literal('chat'), text: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_CHAT_LENGTH)) }),
  /** Verification code exchange (see verification.ts): a SHA-256 commitment, then the nonce. */
  v.object({ t: v.literal('verify-commit'), commit: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/u)) }),
  v.object({ t: v.literal('verify-reveal'), nonce: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/u)) }),
  /** The sender's person confirmed that the codes match. */
  v.object({ t: v.literal('verified'), code: v.pipe(v.string(), v.maxLength(16)) }),
  /** The sender is leaving on purpose: close at once instead of waiting for the transport to time out. */
  v.object({ t: v.literal('bye') }),
]);
export type PeerMessage = v.InferOutput<typeof PeerMessageSchema>;

/** Parses a data-channel text frame; undefined when it is not a known, well-formed message. */
export function parsePeerMessage(text: string): PeerMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = v.safeParse(PeerMessageSchema, json);
  return result.success ? result.output : undefined;
}

export function encodePeerMessage(message: PeerMessage): string {
  return JSON.stringify(message);
}
