/**
 * The element's attributes turned into a session's options, checked: join() gets either options a session can run
 * with, or a typed P2PCallError saying which attribute is wrong (`invalid-config`) or what this browser lacks for
 * the call asked for (`unsupported`). Both are found before anything is captured, loaded or connected.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import type { CallSessionOptions } from '../session/call-session.js';
import { checkedFileLimits, DEFAULT_FILE_LIMITS, type FileLimits } from '../session/file-transfer/file-limits.js';
import { RELAY_POLICIES, type RelayPolicy } from '../session/relay-policy.js';
import { createSignaling } from '../signaling/create-signaling.js';
import type { SignalingAdapter } from '../signaling/signaling-adapter.js';
import { canBroadcast, canCall } from './browser-support.js';

export type Layout = 'auto' | 'pip' | 'side-by-side' | 'share-focused';
const LAYOUTS: readonly Layout[] = ['auto', 'pip', 'side-by-side', 'share-focused'];

const FILE_LIMIT_ATTRIBUTES: Record<keyof FileLimits, string> = {
  maxFileSize: 'max-file-size',
  maxIncomingFiles: 'max-incoming-files',
  maxIncomingBytes: 'max-incoming-bytes',
};

/** What the element's properties hold (it passes itself). */
export interface CallConfig extends FileLimits {
  room: string;
  signaling: string | SignalingAdapter;
  name: string;
  token: string;
  iceServers: RTCIceServer[] | null;
  muted: boolean;
  cameraOff: boolean;
  localStream?: MediaStream;
  relay: RelayPolicy;
  recoveryTimeout: number;
  latencyBudget: number;
  layout: Layout;
  /** The attribute as written: a file limit the converter could not read is quoted from it. */
  getAttribute(name: string): string | null;
}

/** The options for a session, or a P2PCallError (`invalid-config`, `unsupported`) that says why there is none. */
export function sessionOptions(config: CallConfig): CallSessionOptions {
  if (!config.room) throw invalid('Set the room attribute before joining.');
  if (config.iceServers === null) throw invalid('ice-servers must be a JSON array of RTCIceServer objects.');
  if (!LAYOUTS.includes(config.layout)) throw invalid(`layout="${config.layout}" is not one of ${LAYOUTS.join(', ')}.`);
  if (!(config.latencyBudget >= 0)) throw invalid('latency-budget must be a number of milliseconds (0 or more).');
  if (!RELAY_POLICIES.includes(config.relay))
    throw invalid(`relay="${config.relay}" is not one of allow, forbid, only.`);
  const limits = fileLimits(config);
  const signaling = signalingAdapter(config.signaling);
  // Checked after the attributes: a page that also has a typo learns about the typo first, in every browser.
  if (!canCall()) {
    throw new P2PCallError(
      ErrorCode.Unsupported,
      'This browser cannot make calls: it has no WebRTC (RTCPeerConnection).',
    );
  }
  return {
    signaling,
    room: config.room,
    name: config.name,
    token: config.token || undefined,
    iceServers: config.iceServers,
    muted: config.muted,
    cameraOff: config.cameraOff,
    localStream: config.localStream,
    ...limits,
    relay: config.relay,
    recoveryTimeout: config.recoveryTimeout,
    latencyBudget: config.latencyBudget,
  };
}

/** The file limits the attributes ask for, checked: an `invalid-config` P2PCallError quotes a bad one as written. */
export function fileLimits(config: CallConfig): FileLimits {
  const wanted: Record<keyof FileLimits, unknown> = {
    maxFileSize: config.maxFileSize,
    maxIncomingFiles: config.maxIncomingFiles,
    maxIncomingBytes: config.maxIncomingBytes,
  };
  // An attribute the converter could not read is NaN: check the text itself, so the error quotes it.
  for (const key of Object.keys(wanted) as Array<keyof FileLimits>) {
    if (Number.isNaN(wanted[key])) wanted[key] = config.getAttribute(FILE_LIMIT_ATTRIBUTES[key]) ?? NaN;
  }
  return checkedFileLimits(DEFAULT_FILE_LIMITS, wanted, FILE_LIMIT_ATTRIBUTES);
}

function signalingAdapter(signaling: string | SignalingAdapter): SignalingAdapter {
  if (typeof signaling === 'object' && signaling) return signaling;
  if (!signaling) throw invalid('Set the signaling attribute (a ws:// URL or "broadcast").');
  if (signaling.trim() === 'broadcast' && !canBroadcast()) {
    throw new P2PCallError(
      ErrorCode.Unsupported,
      'signaling="broadcast" needs BroadcastChannel, which this browser lacks: use a signaling server (a wss:// URL).',
    );
  }
  return createSignaling(signaling);
}

const invalid = (message: string) => new P2PCallError(ErrorCode.InvalidConfig, message);
