/**
 * What a connection needs only once it is up: the verification code exchange, the route lookup, quality sampling,
 * the camera's size on the wire and the move off a relay that is not needed. One chunk of the script-tag bundle,
 * fetched when the first connection connects.
 */
import { connectionFingerprints } from './verification/dtls-fingerprints.js';
import { VerificationExchange, type VerificationCallbacks } from './verification/verification-exchange.js';

export { QualityMonitor } from './quality-monitor.js';
export { routeFromReport, selectedRoute } from './route.js';
export { nextReduced, outgoingEstimate } from './camera-size.js';
export { selectedPair } from './selected-pair.js';
export { directPairWorks, RouteUpgrade } from './route-upgrade.js';

export function verifyConnection(
  connection: RTCPeerConnection,
  callbacks: VerificationCallbacks,
): VerificationExchange {
  return new VerificationExchange(connectionFingerprints(connection), callbacks);
}
