/** The package's public API. No side effects: importing this does not register the element (see p2p-call.ts). */
export * from './public-api.js';
export { CallSession } from './session/call-session.js';
