/**
 * Messages the two sessions exchange on the main data channel, checked on receipt: a peer is another person's code,
 * so nothing it sends is trusted to be well formed. Binary frames on this channel are the host's app data.
 */
import { isHex, isHex64, isObject, isText } from '../guards.js';

export const MAX_CHAT_LENGTH = 2000;
/** Largest text frame on the main channel: every browser delivers 64 KiB messages. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_STREAM_ID = 128;
const MAX_VERIFIED_CODE = 16;
const ROUND_KEY_DIGITS = 32;

export type PeerMessage =
  /** The sender's microphone/camera state and the id of its camera stream ('' for none); on connect and on change. */
  | { t: 'media'; muted: boolean; cameraOff: boolean; stream: string }
  /** The sender started (or stopped) an auxiliary stream: a shared screen or document view. */
  | { t: 'share'; stream: string; active: boolean }
  /** Host application data (any JSON value), from `send()`. */
  | { t: 'data'; data: unknown }
  /** A chat line (1 to MAX_CHAT_LENGTH characters). */
  | { t: 'chat'; text: string }
  /**
   * Verification code exchange (see verification/): a SHA-256 commitment, then the nonce (64 hex digits each), for
   * the round named by `key` (32 hex digits).
   */
  | { t: 'verify-commit'; key: string; commit: string }
  | { t: 'verify-reveal'; key: string; nonce: string }
  /** The sender's person confirmed that the codes match (information for this side: it verifies on its own). */
  | { t: 'verified'; code: string }
  /**
   * The sender's end of the path media takes (its selected candidate's type). The receiver cannot always tell: a
   * check from the sender's relay arrives as a peer-reflexive candidate with its address hidden.
   */
  | { t: 'route'; local: CandidateType }
  /** The sender is leaving on purpose: close at once instead of waiting for the transport to time out. */
  | { t: 'bye' };

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
const CANDIDATE_TYPES: readonly string[] = ['host', 'srflx', 'prflx', 'relay'];

const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** The message with only its own fields, or undefined when it is not a known, well-formed one. */
function peerMessage(m: unknown): PeerMessage | undefined {
  if (!isObject(m)) return undefined;
  switch (m.t) {
    case 'media':
      return isBoolean(m.muted) && isBoolean(m.cameraOff) && isText(m.stream, MAX_STREAM_ID)
        ? { t: 'media', muted: m.muted, cameraOff: m.cameraOff, stream: m.stream }
        : undefined;
    case 'share':
      return isText(m.stream, MAX_STREAM_ID) && isBoolean(m.active)
        ? { t: 'share', stream: m.stream, active: m.active }
        : undefined;
    case 'data':
      return 'data' in m ? { t: 'data', data: m.data } : undefined;
    case 'chat':
      return isText(m.text, MAX_CHAT_LENGTH, 1) ? { t: 'chat', text: m.text } : undefined;
    case 'verify-commit':
      return isHex(m.key, ROUND_KEY_DIGITS) && isHex64(m.commit)
        ? { t: 'verify-commit', key: m.key, commit: m.commit }
        : undefined;
    case 'verify-reveal':
      return isHex(m.key, ROUND_KEY_DIGITS) && isHex64(m.nonce)
        ? { t: 'verify-reveal', key: m.key, nonce: m.nonce }
        : undefined;
    case 'verified':
      return isText(m.code, MAX_VERIFIED_CODE) ? { t: 'verified', code: m.code } : undefined;
    case 'route':
      return typeof m.local === 'string' && CANDIDATE_TYPES.includes(m.local)
        ? { t: 'route', local: m.local as CandidateType }
        : undefined;
    case 'bye':
      return { t: 'bye' };
  }
  return undefined;
}

/** Parses a data-channel text frame; undefined when it is not a known, well-formed message. */
export function parsePeerMessage(text: string): PeerMessage | undefined {
  try {
    return peerMessage(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function encodePeerMessage(message: PeerMessage): string {
  return JSON.stringify(message);
}
