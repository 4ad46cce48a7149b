// coturn in the public namespace: STUN and TURN over UDP and TCP on 3478, TURN over TLS on 443 with a self-signed
// certificate made for this run, and the REST-API shared secret the signaling server mints credentials with. A second
// listening address makes coturn answer RFC 5780 NAT-behaviour probes, which the lab's self-check uses.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { inNamespace } from './topology.mjs';
import { run } from './shell.mjs';
import { spawnInNamespace, waitUntil } from './processes.mjs';
import { coturnHousekeeping, TURNSERVER } from '../../../scripts/coturn.mjs';

export const TURN_REALM = 'lab.p2p-call.test';

export async function startCoturn({ ns, address, altAddress, dir }) {
  const cert = join(dir, 'turn-cert.pem');
  const key = join(dir, 'turn-key.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${TURN_REALM}`,
    '-addext',
    `subjectAltName=IP:${address}`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  const secret = randomBytes(32).toString('base64url');
  const args = [
    // Our own configuration only: Debian's /etc/turnserver.conf turns on syslog and turns RFC 5780 off.
    '-c',
    '/dev/null',
    `--listening-ip=${address}`,
    `--listening-ip=${altAddress}`,
    `--relay-ip=${address}`,
    '--listening-port=3478',
    '--tls-listening-port=443',
    `--cert=${cert}`,
    `--pkey=${key}`,
    '--min-port=40000',
    '--max-port=40999',
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${TURN_REALM}`,
    ...coturnHousekeeping(dir),
    '--log-file=stdout',
    '--simple-log',
  ];
  // LAB_COTURN_VERBOSE=1 logs every allocation, permission and refresh (coturn.log in the run's directory).
  if (process.env.LAB_COTURN_VERBOSE) args.push('--verbose');
  const child = spawnInNamespace(ns, TURNSERVER, args, { logPath: join(dir, 'coturn.log') });
  // Ready when it answers a STUN binding request over UDP.
  await waitUntil(() => inNamespace(ns, 'turnutils_stunclient', [address], { timeoutMs: 2000 }).then(() => true), {
    child,
    what: 'coturn to answer STUN',
  });
  return {
    child,
    secret,
    urls: {
      stun: `stun:${address}:3478`,
      udp: `turn:${address}:3478?transport=udp`,
      tcp: `turn:${address}:3478?transport=tcp`,
      tls: `turns:${address}:443?transport=tcp`,
    },
  };
}
