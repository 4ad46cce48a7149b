/**
 * The one event map. The session's mitt emitter uses these names; the element re-dispatches each as a DOM event
 * named `p2p-<name>` carrying the same payload as `detail`. Add events here and both floors get them typed.
 */
import type { ErrorDetail } from './errors.js';
import type { CallState } from './session/call-state.js';
import type { PeerInfo } from './signaling/protocol.js';

export interface StateChangeDetail {
  state: CallState;
  previous: CallState;
}

export interface PeerDetail {
  peer: PeerInfo;
}

export interface StreamDetail {
  stream: MediaStream;
}

/** What one side sends (`local-media`) or the other side is sending (`remote-media`). */
export interface MediaStateDetail {
  /** The microphone is muted (or absent). */
  muted: boolean;
  /** The camera is off (or absent). */
  cameraOff: boolean;
}

export type CallEventMap = {
  'state-change': StateChangeDetail;
  'peer-join': PeerDetail;
  'peer-leave': PeerDetail;
  'local-stream': StreamDetail;
  'remote-stream': StreamDetail;
  'local-media': MediaStateDetail;
  'remote-media': MediaStateDetail;
  error: ErrorDetail;
};

export type CallEventName = keyof CallEventMap;

/** DOM event names: the session's names with the `p2p-` prefix. */
export type P2PEventMap = {
  [K in CallEventName as `p2p-${K}`]: CustomEvent<CallEventMap[K]>;
};

/** Events the host may veto with `preventDefault()`. */
export const CANCELABLE_EVENTS: ReadonlySet<CallEventName> = new Set<CallEventName>();

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends P2PEventMap {}
}
