// A real TURN server for the bench's impaired calls: Debian's coturn on loopback, long-term credentials, one static
// user per call side (the relay-only ICE policy sends every packet of both peers through it). Its relay ports come
// from a range of their own, apart from the one the browser tests' coturn uses.
import { startCoturn } from '../../scripts/coturn.mjs';

export const TURN_USERS = { a: 'bench-a', b: 'bench-b' };
export const TURN_PASSWORD = 'bench';

/** Starts coturn; resolves to { port, close() }. */
export const startTurnServer = () =>
  startCoturn({
    purpose: 'the network metric',
    relayPorts: [50160, 50460],
    realm: 'bench.p2p-call.test',
    auth: ['--lt-cred-mech', ...Object.values(TURN_USERS).map((user) => `--user=${user}:${TURN_PASSWORD}`)],
    extra: ['--no-tcp-relay'],
  });

/** The ICE servers one call side uses: the relay's port for that side, that side's user. */
export const iceServersFor = (side, relayPort) => [
  { urls: `turn:127.0.0.1:${relayPort}?transport=udp`, username: TURN_USERS[side], credential: TURN_PASSWORD },
];
