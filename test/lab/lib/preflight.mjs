// What the lab needs before it builds anything. Each missing piece is a failure with the fix in its message: a lab
// that cannot run must not look like a lab that passed.
import { accessSync, constants, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TURNSERVER } from '../../../scripts/coturn.mjs';

const fromRoot = (path) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

const TOOLS = [
  ['ip', '/usr/sbin/ip', 'apt-get install iproute2'],
  ['nft', '/usr/sbin/nft', 'apt-get install nftables'],
  ['sysctl', '/usr/sbin/sysctl', 'apt-get install procps'],
  ['turnserver', TURNSERVER, 'apt-get install coturn'],
  ['turnutils_natdiscovery', '/usr/bin/turnutils_natdiscovery', 'apt-get install coturn'],
  ['turnutils_stunclient', '/usr/bin/turnutils_stunclient', 'apt-get install coturn'],
  ['openssl', '/usr/bin/openssl', 'apt-get install openssl'],
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the list of problems (empty when the lab can run). */
export function preflight() {
  const problems = [];
  if (process.platform !== 'linux') problems.push('the lab needs Linux (network namespaces and nftables)');
  if (process.getuid?.() !== 0) {
    problems.push(
      'the lab needs root: it creates network namespaces, veth pairs and nftables rules (run it as root, e.g. in CI)',
    );
  }
  for (const [name, path, fix] of TOOLS) {
    if (!executable(path)) problems.push(`${name} is missing (looked for ${path}): ${fix}`);
  }
  for (const file of ['dist/server/bin.js', 'dist/p2p-call.min.js']) {
    if (!existsSync(fromRoot(file))) problems.push(`${file} is missing: run npm run build first`);
  }
  return problems;
}
