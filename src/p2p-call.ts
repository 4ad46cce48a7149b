/**
 * Registers <p2p-call>. Import this module (or load dist/p2p-call.min.js, built from script-tag.ts) for the element;
 * import the package root for the classes alone, without side effects.
 */
import './define-element.js';

export * from './index.js';
