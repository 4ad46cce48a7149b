/**
 * p2p-call-server: runs the signaling server from the command line. Flags win over the environment; the secret is
 * deliberately not a flag (it would show in `ps`): use P2P_CALL_SECRET or --secret-file.
 */
import { parseArgs } from 'node:util';
import {
  ConfigError,
  optionsFromEnv,
  readSecretFile,
  splitList,
  splitSources,
  type SignalingServerOptions,
} from './config.js';
import { startSignalingServer } from './signaling-server.js';

const USAGE = `Usage: p2p-call-server [options]

  --port N                   listen port (PORT, default 8787; 0 picks a free one)
  --host H                   bind address (HOST, default 127.0.0.1)
  --static PREFIX=DIR        serve DIR at PREFIX over HTTP (repeatable; DIR alone mounts at /)
  --secret-file PATH         file holding the join-token secret (P2P_CALL_SECRET_FILE, or P2P_CALL_SECRET itself)
  --open                     open mode: no join token, any origin (P2P_CALL_OPEN=1); demos and tests only
  --allowed-origins LIST     comma-separated origins allowed to connect (P2P_CALL_ALLOWED_ORIGINS)
  --trust-proxy              believe X-Forwarded-For from a proxy on this host, 127.0.0.1 or ::1
                             (P2P_CALL_TRUST_PROXY=1)
  --trust-proxy-from LIST    believe it from these proxy addresses or CIDR ranges instead, e.g. 10.0.0.0/8,127.0.0.1
                             (P2P_CALL_TRUST_PROXY=LIST)
  --max-connections-per-ip N concurrent sockets per address (P2P_CALL_MAX_CONNECTIONS_PER_IP, default 50)
  --max-connections N        concurrent sockets in all (P2P_CALL_MAX_CONNECTIONS, default 10000)
  --max-rooms N              rooms with a member on this process (P2P_CALL_MAX_ROOMS, default 5000)
  --frame-ancestors LIST     who may frame the served pages: 'none', 'self' or origins (P2P_CALL_FRAME_ANCESTORS,
                             default 'none')
  --turn-in-open-mode        TURN credentials for tokenless seats too (P2P_CALL_TURN_IN_OPEN_MODE=1); with --open
  -h, --help                 this text

Environment only: REDIS_URL (several processes share rooms through Redis; see docs/server.md), P2P_CALL_REDIS_PREFIX,
P2P_CALL_REDIS_LEASE_MS, P2P_CALL_DRAIN_TIMEOUT_MS, TURN_SECRET or TURN_SECRET_FILE with TURN_URLS and TURN_TTL
(short-lived coturn credentials in each join reply), TURN_CREDENTIAL_BURST, TURN_CREDENTIAL_REFILL_SECONDS,
P2P_CALL_TOKEN_ISSUER, P2P_CALL_TOKEN_AUDIENCE, P2P_CALL_CONTENT_SECURITY_POLICY, P2P_CALL_METRICS.

Without --open the server refuses to start unless a secret of at least 32 bytes is configured.
`;

function fail(message: string): never {
  process.stderr.write(`p2p-call-server: ${message}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      static: { type: 'string', multiple: true },
      'secret-file': { type: 'string' },
      open: { type: 'boolean' },
      'allowed-origins': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'trust-proxy-from': { type: 'string' },
      'max-connections-per-ip': { type: 'string' },
      'max-connections': { type: 'string' },
      'max-rooms': { type: 'string' },
      'frame-ancestors': { type: 'string' },
      'turn-in-open-mode': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`);
}

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const integer = (name: string, value: string): number => {
  const number = Number(value);
  if (!/^\d+$/u.test(value) || !Number.isSafeInteger(number)) fail(`invalid ${name}: ${value}`);
  return number;
};

let options: SignalingServerOptions;
try {
  options = optionsFromEnv(process.env);
  if (values.port !== undefined) options.port = integer('port', values.port);
  if (values.host !== undefined) options.host = values.host;
  if (values['secret-file'] !== undefined) options.secret = readSecretFile(values['secret-file']);
  if (values.open) options.open = true;
  if (values['allowed-origins'] !== undefined) options.allowedOrigins = splitList(values['allowed-origins']);
  if (values['trust-proxy']) options.trustProxy = true;
  if (values['trust-proxy-from'] !== undefined) options.trustProxy = splitList(values['trust-proxy-from']);
  if (values['max-connections-per-ip'] !== undefined) {
    options.maxConnectionsPerIp = integer('max-connections-per-ip', values['max-connections-per-ip']);
  }
  if (values['max-connections'] !== undefined) {
    options.maxConnections = integer('max-connections', values['max-connections']);
  }
  if (values['max-rooms'] !== undefined) options.maxRooms = integer('max-rooms', values['max-rooms']);
  if (values['frame-ancestors'] !== undefined) options.frameAncestors = splitSources(values['frame-ancestors']);
  if (values['turn-in-open-mode']) options.turnInOpenMode = true;
  if (values.static) {
    options.staticMounts = Object.fromEntries(
      values.static.map((mount) => (mount.includes('=') ? mount.split('=', 2) : ['/', mount])),
    );
  }
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}

// Signals are handled from the start: a SIGTERM that lands while the server is still binding must not kill the
// process halfway, and must not be lost either.
let stopRequested = false;
let stop = () => {
  stopRequested = true;
};
process.once('SIGTERM', () => stop());
process.once('SIGINT', () => stop());

let server;
try {
  server = await startSignalingServer(options);
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  fail(error instanceof ConfigError ? message : `could not start: ${code ?? message}`);
}

const running = server;
stop = () => {
  // The server cuts sockets after its own deadline; this one only guards against a close that never settles.
  setTimeout(() => process.exit(1), 10_000).unref();
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
if (stopRequested) stop();
