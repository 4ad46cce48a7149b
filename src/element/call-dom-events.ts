/**
 * The session's events as the element dispatches them: `p2p-<name>`, bubbling, composed (they cross shadow roots),
 * `detail` typed from the one event map, and cancelable for the events a host may veto.
 */
import type { CallEventMap, CallEventName } from '../session/call-events.js';

/** DOM event names: the session's names with the `p2p-` prefix. */
export type P2PEventMap = {
  [K in CallEventName as `p2p-${K}`]: CustomEvent<CallEventMap[K]>;
};

/** Events the host may veto with `preventDefault()`. */
export const CANCELABLE_EVENTS: ReadonlySet<CallEventName> = new Set<CallEventName>(['file-offer']);

/** Dispatches `p2p-<name>` on `target`. Returns false when a listener called preventDefault(). */
export function dispatchCallEvent<K extends CallEventName>(target: EventTarget, name: K, detail: CallEventMap[K]): boolean {
  return target.dispatchEvent(
    new CustomEvent(`p2p-${name}`, { detail, bubbles: true, composed: true, cancelable: CANCELABLE_EVENTS.has(name) }),
  );
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends P2PEventMap {}
}
