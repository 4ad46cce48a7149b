/**
 * The arithmetic of the verification code (a short authentication string, RFC 8826 section 4.3.2), free of any
 * connection: what a round is keyed by, what a side commits to, and the six digits both people compare.
 *
 * A round is bound to one set of DTLS certificates: its key names both sides' fingerprints, each commitment covers
 * that key as well as the nonce, and the code is derived from the key and the round's two nonces. A nonce is never
 * used in a second round, so a change of certificates cannot re-aim a code that was already revealed.
 */
import { toHex } from '../ids.js';

const LABEL = 'p2p-call verification v2';
const encoder = new TextEncoder();

/** Both sides' certificate fingerprints ("sha-256 ab:cd:…", sorted), as this side sees them. */
export interface Fingerprints {
  local: string[];
  remote: string[];
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * The canonical text of a fingerprint pair: the two sides sorted, so both people's sessions (which see each other's
 * `local` as `remote`) get the same text whoever made the offer.
 */
function fingerprintPair({ local, remote }: Fingerprints): string {
  return [local.join(','), remote.join(',')].sort().join('\n');
}

/** A round's name on the wire: a digest of the fingerprint pair (public data; it only lets the sides match rounds). */
export async function roundKey(fingerprints: Fingerprints): Promise<string> {
  return toHex(await sha256(`${LABEL} key\n${fingerprintPair(fingerprints)}`)).slice(0, 32);
}

/** What a side sends before its nonce: SHA-256 over the round's fingerprint pair and the nonce. */
export async function commitment(fingerprints: Fingerprints, nonce: string): Promise<string> {
  return toHex(await sha256(`${LABEL} commit\n${fingerprintPair(fingerprints)}\n${nonce}`));
}

/** The six digits ("123 456"): the first 32 bits of SHA-256 over the fingerprint pair and both nonces, mod 10^6. */
export async function verificationCode(fingerprints: Fingerprints, nonces: [string, string]): Promise<string> {
  const digest = await sha256(`${LABEL} code\n${fingerprintPair(fingerprints)}\n${[...nonces].sort().join('\n')}`);
  const value = new DataView(digest.buffer, digest.byteOffset).getUint32(0) % 1_000_000;
  const digits = value.toString().padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** 32 random bytes as 64 hex digits: one side's secret for one round. */
export function freshNonce(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}
