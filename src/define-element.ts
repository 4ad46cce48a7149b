/**
 * Defines <p2p-call>, once per page: a second copy of the element (two bundles on one page) finds it defined and
 * leaves it as it is.
 */
import { P2PCall } from './element/p2p-call.component.js';

if (!customElements.get('p2p-call')) customElements.define('p2p-call', P2PCall);

declare global {
  interface HTMLElementTagNameMap {
    'p2p-call': P2PCall;
  }
}
