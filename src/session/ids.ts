/** Lowercase hex of some bytes: random ids here, digests and verification commitments elsewhere. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A random id for participants and message prefixes; crypto-random so ids do not collide across tabs. */
export function randomId(bytes = 8): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}
