import { P2PCallError, ErrorCode } from '../errors.js';
import { BroadcastChannelSignaling } from './broadcast-channel-signaling.js';
import type { SignalingAdapter } from './signaling-adapter.js';
import { WebSocketSignaling } from './websocket-signaling.js';

/** Turns the `signaling` attribute value into an adapter: a `ws://`/`wss://` URL, or `broadcast`. */
export function createSignaling(spec: string): SignalingAdapter {
  const value = spec.trim();
  if (value === 'broadcast') return new BroadcastChannelSignaling();
  if (/^wss?:\/\//iu.test(value)) return new WebSocketSignaling(value);
  throw new P2PCallError(
    ErrorCode.InvalidConfig,
    `signaling="${spec}" is not supported: use a ws:// or wss:// URL, "broadcast", or assign an adapter object.`,
  );
}
