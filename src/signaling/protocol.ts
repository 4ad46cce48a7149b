/**
 * The wire format between a browser and the reference signaling server, and between two browsers on a shared
 * channel. The types here are the one description of every frame: the browser checks what it receives with the
 * small parsers below, the server with valibot schemas (server/protocol-schemas.ts) that are type-checked against
 * these types, and a test runs both over the same good and bad frames, so neither side can drift from the other.
 * The server imports this file (and nothing else from src/).
 */
import { isObject, isText, type Json } from '../guards.js';

export const PROTOCOL_VERSION = 1;

/** WebSocket close code the server sends when a newer connection of the same participant took the seat. */
export const CLOSE_REPLACED = 4000;

/** Limits that keep a hostile frame small; the server also caps the raw frame size. */
export const Limits = {
  roomLength: 128,
  peerIdLength: 64,
  nameLength: 64,
  tokenLength: 4096,
  messageIdLength: 64,
  payloadTypeLength: 32,
} as const;

/** Room names and peer ids: letters, digits, `_`, `-`, `.`, `:`. */
export const NAME_PATTERN = /^[\w.:-]+$/u;

type Version = typeof PROTOCOL_VERSION;

/** Negotiation data (SDP, ICE candidates, renegotiation requests). Opaque to signaling; the session checks it. */
export interface SignalPayload {
  type: string;
  [key: string]: unknown;
}

export interface PeerInfo {
  id: string;
  /** '' when the person gave none. */
  name: string;
}

export interface IceServerInfo {
  urls: string | string[];
  username?: string;
  credential?: string;
}

// ---- browser -> server ----
export interface JoinFrame {
  v: Version;
  type: 'join';
  room: string;
  peer: string;
  name: string;
  token?: string;
}
export interface SignalFrame {
  v: Version;
  type: 'signal';
  to: string;
  id: string;
  payload: SignalPayload;
}
export interface LeaveFrame {
  v: Version;
  type: 'leave';
}
/** Asks the server for a `pong`: the browser cannot see WebSocket pings, and a socket can look open long after it died. */
export interface PingFrame {
  v: Version;
  type: 'ping';
}
export type ClientFrame = JoinFrame | SignalFrame | LeaveFrame | PingFrame;

// ---- server -> browser ----
export interface JoinedFrame {
  v: Version;
  type: 'joined';
  room: string;
  self: string;
  peers: PeerInfo[];
  iceServers?: IceServerInfo[];
}
export interface PeerJoinedFrame {
  v: Version;
  type: 'peer-joined';
  peer: PeerInfo;
}
export interface PeerLeftFrame {
  v: Version;
  type: 'peer-left';
  peer: string;
}
export interface RelayedSignalFrame {
  v: Version;
  type: 'signal';
  from: string;
  id: string;
  payload: SignalPayload;
}
export interface ErrorFrame {
  v: Version;
  type: 'error';
  code: string;
  message: string;
}
export interface PongFrame {
  v: Version;
  type: 'pong';
}
export type ServerFrame = JoinedFrame | PeerJoinedFrame | PeerLeftFrame | RelayedSignalFrame | ErrorFrame | PongFrame;

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
  /** The server is at its process-wide cap of rooms: try again later. */
  ServerFull: 'server-full',
  Internal: 'internal-error',
} as const;
export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

// ---- peer <-> peer over a shared channel (BroadcastChannel, or the host's own channel) ----
/** An envelope the BroadcastChannel and host-callback adapters exchange; opaque JSON to the host. */
export type RelayedRoomMessage =
  | { v: Version; type: 'hello'; room: string; from: string; name: string }
  | { v: Version; type: 'here'; room: string; from: string; to: string; name: string }
  | { v: Version; type: 'full'; room: string; from: string; to: string }
  | { v: Version; type: 'bye'; room: string; from: string }
  | { v: Version; type: 'signal'; room: string; from: string; to: string; id: string; payload: SignalPayload };

// ---- the browser's checks ----
const isName = (value: unknown, max: number): value is string => isText(value, max, 1) && NAME_PATTERN.test(value);
const isRoom = (value: unknown): value is string => isName(value, Limits.roomLength);
const isPeerId = (value: unknown): value is string => isName(value, Limits.peerIdLength);
const isMessageId = (value: unknown): value is string => isText(value, Limits.messageIdLength, 1);

/** A display name, '' when absent; undefined when it is not a valid one. */
const displayName = (value: unknown): string | undefined =>
  value === undefined ? '' : isText(value, Limits.nameLength) ? value : undefined;

/** Keeps every field of the payload (it is opaque here) except the three that could reach a prototype. */
function signalPayload(value: unknown): SignalPayload | undefined {
  if (!isObject(value) || !isText(value.type, Limits.payloadTypeLength)) return undefined;
  const payload: SignalPayload = { type: value.type };
  for (const key in value) {
    if (Object.hasOwn(value, key) && key !== '__proto__' && key !== 'prototype' && key !== 'constructor') {
      payload[key] = value[key];
    }
  }
  return payload;
}

function peerInfo(value: unknown): PeerInfo | undefined {
  const name = isObject(value) ? displayName(value.name) : undefined;
  return name !== undefined && isPeerId((value as Json).id) ? { id: (value as Json).id as string, name } : undefined;
}

const isOptionalText = (value: unknown): boolean => value === undefined || typeof value === 'string';

function iceServer(value: unknown): IceServerInfo | undefined {
  if (!isObject(value) || !isOptionalText(value.username) || !isOptionalText(value.credential)) return undefined;
  const { urls, username, credential } = value as Partial<IceServerInfo>;
  if (!(typeof urls === 'string' || (Array.isArray(urls) && urls.every((url) => typeof url === 'string')))) return undefined;
  const server: IceServerInfo = { urls };
  if (username !== undefined) server.username = username;
  if (credential !== undefined) server.credential = credential;
  return server;
}

/** Every item parsed, or undefined when one is not valid. */
function listOf<T>(value: unknown, parse: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  for (const item of value) {
    const parsed = parse(item);
    if (parsed === undefined) return undefined;
    items.push(parsed);
  }
  return items;
}

/** A list of ICE servers (from the server's `joined`, or the `ice-servers` attribute); undefined when not valid. */
export const parseIceServers = (value: unknown): IceServerInfo[] | undefined => listOf(value, iceServer);

/** A frame from the signaling server, or undefined when it is not a known, well-formed one. Never throws. */
export function parseServerFrame(value: unknown): ServerFrame | undefined {
  if (!isObject(value) || value.v !== PROTOCOL_VERSION) return undefined;
  const v = PROTOCOL_VERSION;
  switch (value.type) {
    case 'joined': {
      const { room, self } = value;
      const peers = listOf(value.peers, peerInfo);
      if (!isRoom(room) || !isPeerId(self) || !peers) return undefined;
      if (value.iceServers === undefined) return { v, type: 'joined', room, self, peers };
      const iceServers = parseIceServers(value.iceServers);
      return iceServers && { v, type: 'joined', room, self, peers, iceServers };
    }
    case 'peer-joined': {
      const peer = peerInfo(value.peer);
      return peer && { v, type: 'peer-joined', peer };
    }
    case 'peer-left':
      return isPeerId(value.peer) ? { v, type: 'peer-left', peer: value.peer } : undefined;
    case 'signal': {
      const { from, id } = value;
      const payload = signalPayload(value.payload);
      return isPeerId(from) && isMessageId(id) && payload ? { v, type: 'signal', from, id, payload } : undefined;
    }
    case 'error': {
      const { code, message } = value;
      return typeof code === 'string' && typeof message === 'string' ? { v, type: 'error', code, message } : undefined;
    }
    case 'pong':
      return { v, type: 'pong' };
  }
  return undefined;
}

/** An envelope from the shared channel, or undefined when it is not a known, well-formed one. Never throws. */
export function parseRelayedRoomMessage(value: unknown): RelayedRoomMessage | undefined {
  if (!isObject(value) || value.v !== PROTOCOL_VERSION) return undefined;
  const v = PROTOCOL_VERSION;
  const { type, room, from, to } = value;
  if (!isRoom(room) || !isPeerId(from)) return undefined;
  const name = displayName(value.name);
  switch (type) {
    case 'hello':
      return name === undefined ? undefined : { v, type, room, from, name };
    case 'bye':
      return { v, type, room, from };
  }
  if (!isPeerId(to)) return undefined;
  switch (type) {
    case 'here':
      return name === undefined ? undefined : { v, type, room, from, to, name };
    case 'full':
      return { v, type, room, from, to };
    case 'signal': {
      const { id } = value;
      const payload = signalPayload(value.payload);
      return isMessageId(id) && payload ? { v, type, room, from, to, id, payload } : undefined;
    }
  }
  return undefined;
}
