/**
 * Registers <p2p-call>. Import this module (or load dist/p2p-call.min.js) for the element; import the package root
 * for the classes alone, without side effects.
 */
import { P2PCall } from './element/p2p-call.component.js';

export * from './index.js';

if (!customElements.get('p2p-call')) customElements.define('p2p-call', P2PCall);

declare global {
  interface HTMLElementTagNameMap {
    'p2p-call': P2PCall;
  }
}
