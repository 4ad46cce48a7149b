/**
 * The script-tag bundle's entry (dist/p2p-call.min.js): registers <p2p-call> and exports the public API, all but
 * the CallSession class. The session and the peer library are a chunk of their own that the element loads for a
 * call (element/session-loader.ts); exporting the class here would pull them back into what every page loads. A page
 * that drives a session itself gets the class from `await loadCallSession()`.
 */
import './define-element.js';

export * from './public-api.js';
