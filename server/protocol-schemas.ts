/**
 * The signaling protocol as valibot schemas: the server's checks of every frame a browser sends (its issues name the
 * field that is wrong in the `bad-frame` answer). The shapes themselves are described once, as the types in
 * src/signaling/protocol.ts; each schema below is checked against its type at compile time, and test/signaling/
 * protocol-guards.test.ts runs these schemas and the browser's small parsers over the same frames, so the server and
 * the browser accept exactly the same ones. The schemas of what the server sends and of the shared-channel envelopes
 * are here for that comparison too.
 */
import * as v from 'valibot';
import {
  Limits,
  NAME_PATTERN,
  PROTOCOL_VERSION,
  type ClientFrame,
  type IceServerInfo,
  type JoinFrame,
  type PeerInfo,
  type RelayedRoomMessage,
  type ServerFrame,
  type SignalPayload,
} from 'p2p-call/protocol';

const version = v.literal(PROTOCOL_VERSION);
const roomName = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.roomLength), v.regex(NAME_PATTERN));
const peerId = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.peerIdLength), v.regex(NAME_PATTERN));
const displayName = v.pipe(v.string(), v.maxLength(Limits.nameLength));
const messageId = v.pipe(v.string(), v.minLength(1), v.maxLength(Limits.messageIdLength));

export const SignalPayloadSchema = v.looseObject({ type: v.pipe(v.string(), v.maxLength(Limits.payloadTypeLength)) });
export const PeerInfoSchema = v.object({ id: peerId, name: v.optional(displayName, '') });
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
const SignalFrameSchema = v.object({ v: version, type: v.literal('signal'), to: peerId, id: messageId, payload: SignalPayloadSchema });
const LeaveFrameSchema = v.object({ v: version, type: v.literal('leave') });
const PingFrameSchema = v.object({ v: version, type: v.literal('ping') });
export const ClientFrameSchema = v.variant('type', [
  JoinFrameSchema,
  SignalFrameSchema,
  LeaveFrameSchema,
  PingFrameSchema,
]);

// ---- server -> browser ----
export const ServerFrameSchema = v.variant('type', [
  v.object({
    v: version,
    type: v.literal('joined'),
    room: roomName,
    self: peerId,
    peers: v.array(PeerInfoSchema),
    iceServers: v.optional(v.array(IceServerSchema)),
  }),
  v.object({ v: version, type: v.literal('peer-joined'), peer: PeerInfoSchema }),
  v.object({ v: version, type: v.literal('peer-left'), peer: peerId }),
  v.object({ v: version, type: v.literal('signal'), from: peerId, id: messageId, payload: SignalPayloadSchema }),
  v.object({ v: version, type: v.literal('error'), code: v.string(), message: v.string() }),
  v.object({ v: version, type: v.literal('pong') }),
]);

// ---- peer <-> peer over a shared channel ----
export const RelayedRoomMessageSchema = v.variant('type', [
  v.object({ v: version, type: v.literal('hello'), room: roomName, from: peerId, name: v.optional(displayName, '') }),
  v.object({ v: version, type: v.literal('here'), room: roomName, from: peerId, to: peerId, name: v.optional(displayName, '') }),
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

// Compile-time: each schema's output is its protocol type, in both directions and with optional fields made required
// (so an optional field on one side only counts too): a field added, dropped or retyped on either side fails
// `npm run typecheck`.
type Assignable<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Same<A, B> = Assignable<A, B> extends true ? Assignable<Required<A>, Required<B>> : false;
type Agrees<T extends true> = T;
export type SchemasMatchProtocolTypes = [
  Agrees<Same<v.InferOutput<typeof SignalPayloadSchema>, SignalPayload>>,
  Agrees<Same<v.InferOutput<typeof PeerInfoSchema>, PeerInfo>>,
  Agrees<Same<v.InferOutput<typeof IceServerSchema>, IceServerInfo>>,
  Agrees<Same<v.InferOutput<typeof JoinFrameSchema>, JoinFrame>>,
  Agrees<Same<v.InferOutput<typeof ClientFrameSchema>, ClientFrame>>,
  Agrees<Same<v.InferOutput<typeof ServerFrameSchema>, ServerFrame>>,
  Agrees<Same<v.InferOutput<typeof RelayedRoomMessageSchema>, RelayedRoomMessage>>,
];
