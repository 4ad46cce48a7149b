/**
 * Small checks for JSON that came from someone else (the signaling server, the peer, the host's channel), shared by
 * the message parsers of every floor. The browser does without a schema library to stay small; these follow
 * valibot's rules, which the server still uses: an object is any non-null object (arrays too), and a string's length
 * counts UTF-16 code units.
 */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** A string of `min` to `max` characters. */
export const isText = (value: unknown, max: number, min = 0): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;

/** Exactly `digits` lowercase hex digits. */
export const isHex = (value: unknown, digits: number): value is string =>
  typeof value === 'string' && value.length === digits && /^[0-9a-f]*$/u.test(value);

/** 64 lowercase hex digits: a SHA-256 digest, commitment or nonce. */
export const isHex64 = (value: unknown): value is string => isHex(value, 64);
