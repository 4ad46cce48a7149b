import { CANCELABLE_EVENTS, type CallEventMap, type CallEventName } from '../events.js';

/**
 * Re-dispatches a session event as the DOM event `p2p-<name>`: bubbling, composed (it crosses shadow roots), and
 * cancelable for the events a host may veto. Returns false when a listener called preventDefault().
 */
export function dispatchCallEvent<K extends CallEventName>(target: EventTarget, name: K, detail: CallEventMap[K]): boolean {
  return target.dispatchEvent(
    new CustomEvent(`p2p-${name}`, { detail, bubbles: true, composed: true, cancelable: CANCELABLE_EVENTS.has(name) }),
  );
}
