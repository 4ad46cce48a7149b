/**
 * The public API but the session class: what the script-tag bundle's entry can export without carrying the session
 * and the peer library (see script-tag.ts). The package root adds CallSession.
 */
export { P2PCall } from './element/p2p-call.component.js';
export { loadCallSession } from './element/session-loader.js';
export { CallState, type CallState as CallStateValue } from './session/call-state.js';
export { P2PCallError, ErrorCode, type ErrorDetail } from './errors.js';
export type * from './session/call-events.js';
export type { CallSessionOptions } from './session/call-session.js';
export type { P2PEventMap } from './element/call-dom-events.js';
export type {
  P2PCallEventProps,
  P2PCallKebabAttributes,
  P2PCallProperties,
  P2PCallPropertyName,
} from './jsx/element-props.js';
export type { SignalingAdapter, SignalingEvent, SignalingListener, JoinRequest } from './signaling/signaling-adapter.js';
export type { PeerInfo, SignalPayload, RelayedRoomMessage } from './signaling/protocol.js';
export { WebSocketSignaling, type WebSocketSignalingOptions } from './signaling/websocket-signaling.js';
export { BroadcastChannelSignaling } from './signaling/broadcast-channel-signaling.js';
export { CallbackSignaling, type CallbackSignalingOptions } from './signaling/callback-signaling.js';
