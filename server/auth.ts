/**
 * Join tokens: short-lived HS256 JWTs that bind one participant to one room. The host's backend mints them (it knows
 * who may talk to whom); the server only checks them, in the HTTP upgrade, before a socket exists.
 */
import { SignJWT, jwtVerify } from 'jose';
import * as v from 'valibot';
import { JoinFrameSchema } from './protocol-schemas.js';
import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_ISSUER, MIN_SECRET_BYTES } from './config.js';

/** What a valid token grants: one seat, in one room. */
export interface JoinGrant {
  room: string;
  participant: string;
}

export interface MintJoinTokenOptions {
  /** The same secret the server has (P2P_CALL_SECRET), at least 32 bytes. */
  secret: string | Uint8Array;
  /** Room name, as in the element's `room` attribute. */
  room: string;
  /** Participant id: the element must join with this id (its peer id); a reconnect with it takes the seat back. */
  participant: string;
  /** Lifetime in seconds. Default 300; the server refuses tokens valid for longer than its `maxTokenTtlSeconds`. */
  ttlSeconds?: number;
  /** `iss` claim: who minted it. Default `p2p-call`; must match the server's `tokenIssuer`. */
  issuer?: string;
  /** `aud` claim: which signaling service it is for. Default `p2p-call-signaling`; must match `tokenAudience`. */
  audience?: string;
}

export interface VerifyJoinTokenOptions {
  /** The `iss` the token must carry. Default `p2p-call`. */
  issuer?: string;
  /** The `aud` the token must carry. Default `p2p-call-signaling`. */
  audience?: string;
}

/** How far ahead of this server's clock a token's `iat` may be: clocks drift, tokens are not minted in the future. */
export const MAX_ISSUED_AHEAD_SECONDS = 30;
/** Grace for `exp`, for the same drift. */
const EXPIRY_TOLERANCE_SECONDS = 5;

// The claims reuse the join frame's own rules for room names and peer ids, so a token can never grant a seat that
// the protocol could not express.
const ClaimsSchema = v.object({
  room: JoinFrameSchema.entries.room,
  sub: JoinFrameSchema.entries.peer,
  exp: v.number(),
  iat: v.number(),
});

const ClaimValueSchema = v.pipe(
  v.string(),
  v.regex(/^[\x21-\x7e]{1,256}$/u, 'expected 1-256 printable ASCII characters'),
);

const MintSchema = v.object({
  room: JoinFrameSchema.entries.room,
  participant: JoinFrameSchema.entries.peer,
  ttlSeconds: v.pipe(v.number(), v.integer(), v.minValue(1)),
  issuer: ClaimValueSchema,
  audience: ClaimValueSchema,
});

const ALGORITHM = 'HS256';

/**
 * Mints a join token for a host backend.
 * @example
 * const token = await mintJoinToken({ secret: process.env.P2P_CALL_SECRET, room: 'interview-42', participant: 'cand-7' });
 * // <p2p-call room="interview-42" token="${token}" ...> and the element joins as peer "cand-7"
 */
export async function mintJoinToken(options: MintJoinTokenOptions): Promise<string> {
  const checked = v.safeParse(MintSchema, {
    ttlSeconds: 300,
    issuer: DEFAULT_TOKEN_ISSUER,
    audience: DEFAULT_TOKEN_AUDIENCE,
    ...options,
  });
  if (!checked.success) {
    const issue = checked.issues[0];
    throw new TypeError(`mintJoinToken: invalid ${v.getDotPath(issue) ?? 'option'}: ${issue.message}`);
  }
  const key = toKey(options.secret);
  if (key.byteLength < MIN_SECRET_BYTES)
    throw new TypeError(`mintJoinToken: the secret must be at least ${MIN_SECRET_BYTES} bytes.`);
  const { room, participant, ttlSeconds, issuer, audience } = checked.output;
  return new SignJWT({ room })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(participant)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key);
}

/**
 * Checks a token's signature, issuer, audience, times and claims. Resolves with the grant, or undefined for any kind
 * of bad token: the caller answers 401 either way, and the reason never reaches the client.
 */
export async function verifyJoinToken(
  token: string,
  secret: Uint8Array,
  maxTtlSeconds: number,
  { issuer = DEFAULT_TOKEN_ISSUER, audience = DEFAULT_TOKEN_AUDIENCE }: VerifyJoinTokenOptions = {},
): Promise<JoinGrant | undefined> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: [ALGORITHM],
      issuer,
      audience,
      requiredClaims: ['exp', 'iat', 'sub', 'room'],
      clockTolerance: EXPIRY_TOLERANCE_SECONDS,
    });
    const claims = v.parse(ClaimsSchema, payload);
    const now = Date.now() / 1000;
    if (claims.exp - now > maxTtlSeconds) return undefined;
    // A token issued in the future comes from a wrong clock or a forger: none of its times can be relied on.
    if (claims.iat - now > MAX_ISSUED_AHEAD_SECONDS) return undefined;
    return { room: claims.room, participant: claims.sub };
  } catch {
    return undefined;
  }
}

function toKey(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
}
