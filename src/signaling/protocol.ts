/**
 * The wire format between a browser and the reference signaling server, as valibot schemas.
 * Both sides validate with these schemas, so the types and the checks cannot drift apart.
 * The server imports this file (and nothing else from src/).
 */
import * as v from 'valibot';

export const PROTOCOL_VERSION = 1;

/** Limits that keep a hostile frame small; the server also caps the raw frame size. */
export const Limits = {
  roomLength: 128,
  peerIdLength: 64,
  nameLength: 64,
  tokenLength: 4096,
  messageIdLength: 64,
} as const;

const version = v.literal(PROTOCOL_VERSION);
const roomName = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.roomLength), v.regex(/^[\w.:-]+$/u));
const peerId = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.peerIdLength), v.regex(/^[\w.:-]+$/u));
const displayName = v.pipe(v.string(), v.maxLength(Limits.nameLength));
const messageId = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.messageIdLength));

/** Negotiation data (SDP, ICE candidates, renegotiation requests). Opaque to signaling; the session checks it. */
export const SignalPayloadSchema = v.looseObject({ type: v.pipe(v.string(), v.maxLength(32)) });
export type SignalPayload = v.InferOutput<typeof SignalPayloadSchema>;

export const PeerInfoSchema = v.object({ id: peerId, name: v.optional(displayName, '') });
export type PeerInfo = v.InferOutput<typeof PeerInfoSchema>;

const IceServerSchema = v.object({
  urls: v.union([v.string(), v.array(v.string())]),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
});

// ---- browser -> server ----
export const JoinFrameSchema = v.object({
  v: version,
  type: v.literal('join'),
  room: roomName,
  peer: peerId,
  name: v.optional(displayName, ''),
  token: v.optional(v.pipe(v.string(), v.maxLength(Limits.tokenLength))),
});
export const SignalFrameSchema = v.object({
  v: version,
  type: v.literal('signal'),
  to: peerId,
  id: messageId,
  payload: SignalPayloadSchema,
});
export const LeaveFrameSchema = v.object({ v: version, type: v.literal('leave') });
export const ClientFrameSchema = v.variant('type', [JoinFrameSchema, SignalFrameSchema, LeaveFrameSchema]);
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;

// ---- server -> browser ----
export const JoinedFrameSchema = v.object({
  v: version,
  type: v.literal('joined'),
  room: roomName,
  self: peerId,
  peers: v.array(PeerInfoSchema),
  iceServers: v.optional(v.array(IceServerSchema)),
});
export const PeerJoinedFrameSchema = v.object({ v: version, type: v.literal('peer-joined'), peer: PeerInfoSchema });
export const PeerLeftFrameSchema = v.object({ v: version, type: v.literal('peer-left'), peer: peerId });
export const RelayedSignalFrameSchema = v.object({
  v: version,
  type: v.literal('signal'),
  from: peerId,
  id: messageId,
  payload: SignalPayloadSchema,
});
export const ErrorFrameSchema = v.object({
  v: version,
  type: v.literal('error'),
  code: v.string(),
  message: v.string(),
});
export const ServerFrameSchema = v.variant('type', [
  JoinedFrameSchema,
  PeerJoinedFrameSchema,
  PeerLeftFrameSchema,
  RelayedSignalFrameSchema,
  ErrorFrameSchema,
]);
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;

/** Error codes the server sends in `error` frames. */
export const ServerErrorCode = {
  RoomFull: 'room-full',
  BadJson: 'bad-json',
  BadFrame: 'bad-frame',
  UnknownType: 'unknown-type',
  NotJoined: 'not-joined',
  AlreadyJoined: 'already-joined',
  UnknownPeer: 'unknown-peer',
  Unauthorized: 'unauthorized',
  RateLimited: 'rate-limited',
  Internal: 'internal-error',
} as const;
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

// ---- peer <-> peer over a shared channel (BroadcastChannel, or the host's own channel) ----
export const RelayedRoomMessageSchema = v.variant('type', [
  v.object({ v: version, type: v.literal('hello'), room: roomName, from: peerId, name: v.optional(displayName, '') }),
  v.object({
    v: version,
    type: v.literal('here'),
    room: roomName,
    from: peerId,
    to: peerId,
    name: v.optional(displayName, ''),
  }),
  v.object({ v: version, type: v.literal('full'), room: roomName, from: peerId, to: peerId }),
  v.object({ v: version, type: v.literal('bye'), room: roomName, from: peerId }),
  v.object({
    v: version,
    type: v.literal('signal'),
    room: roomName,
    from: peerId,
    to: peerId,
    id: messageId,
    payload: SignalPayloadSchema,
  }),
]);
/** An envelope the BroadcastChannel and host-callback adapters exchange; opaque JSON to the host. */
export type RelayedRoomMessage = v.InferOutput<typeof RelayedRoomMessageSchema>;

/** Parses an unknown value; returns the typed frame or undefined. Never throws. */
export function parseWith<T extends v.GenericSchema>(schema: T, value: unknown): v.InferOutput<T> | undefined {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : undefined;
}
