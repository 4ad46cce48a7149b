// The project's own signaling server (dist/server/bin.js, the published `p2p-call-server`) in the public namespace,
// serving the lab page and the built bundle too. One process per configuration: without TURN, and minting coturn
// credentials for every participant that joins.
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnInNamespace, waitUntil } from './processes.mjs';

const fromRoot = (path) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

/**
 * The built element the lab pages load, copied into the run's directory first: a build during the run (another
 * terminal, another branch) cannot swap the chunks under a page that is already open.
 */
export async function snapshotBundle(dir) {
  const target = join(dir, 'dist');
  await mkdir(target, { recursive: true });
  await cp(fromRoot('dist/p2p-call.min.js'), join(target, 'p2p-call.min.js'));
  await cp(fromRoot('dist/min'), join(target, 'min'), { recursive: true });
  return target;
}

export async function startSignaling({ ns, address, port, dir, bundle, turn }) {
  const logPath = join(dir, `signaling-${port}.log`);
  // The lab's pages join without tokens (open mode): TURN for tokenless seats is an opt-in, and every lab client
  // joins dozens of times a run from the same public address, far beyond the per-address credential burst.
  const env = turn
    ? {
        TURN_SECRET: turn.secret,
        TURN_URLS: turn.urls.join(','),
        TURN_TTL: '600',
        P2P_CALL_TURN_IN_OPEN_MODE: '1',
        TURN_CREDENTIAL_BURST: '1000',
      }
    : {};
  const args = [
    fromRoot('dist/server/bin.js'),
    '--open',
    '--host',
    address,
    '--port',
    String(port),
    '--static',
    `/lab=${fromRoot('test/lab/page')}`,
    '--static',
    `/dist=${bundle}`,
  ];
  const child = spawnInNamespace(ns, process.execPath, args, { logPath, env });
  await waitUntil(async () => (await readFile(logPath, 'utf8')).includes('"event":"listening"'), {
    child,
    what: `the signaling server on ${address}:${port}`,
  });
  const origin = `http://${address}:${port}`;
  return { child, origin, url: `ws://${address}:${port}/signal`, page: `${origin}/lab/`, logPath };
}
