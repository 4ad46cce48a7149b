/**
 * Messages the two sessions exchange on the data channel, validated on receipt: a peer is another person's code,
 * so nothing it sends is trusted to be well formed.
 */
import * as v from 'valibot';

export const PeerMessageSchema = v.variant('t', [
  /** The sender's microphone/camera state, sent on connect and on every change. */
  v.object({ t: v.literal('media'), muted: v.boolean(), cameraOff: v.boolean() }),
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
