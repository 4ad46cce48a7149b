// A package-lock.json for the consumer project, so `npm ci --offline` installs the two tarballs and their
// dependencies from the npm cache alone: the registry's metadata is never asked for, and the versions are exactly
// the ones this repository's own lockfile installed (and `npm ci` here put in the cache).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Where Node would find `name` from the lockfile location `from` ('' is the root, 'server' a workspace). */
function locate(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate] && !packages[candidate].link) return candidate;
    if (!base) return undefined;
    const at = base.lastIndexOf('node_modules/');
    base = at <= 0 ? '' : base.slice(0, at - 1);
  }
}

/** What a package needs installed beside it: its dependencies, optional ones where the lockfile has them, and the
 * peers it does not mark optional. */
function needs(entry) {
  const optionalPeers = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => [name, true]),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => [name, false]),
    ...Object.keys(entry.peerDependencies ?? {})
      .filter((name) => !optionalPeers[name]?.optional)
      .map((name) => [name, true]),
  ];
}

const integrityOf = (file) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;

/**
 * `repoLock`: this repository's package-lock.json (the element at the root, the server in the `server` workspace).
 * `tarballs`: { element, server } paths of the packed packages, which sit in the consumer project's folder.
 */
export function consumerLockfile(repoLock, tarballs) {
  const { packages } = repoLock;
  const elementManifest = packages[''];
  const serverManifest = packages.server;
  const lock = { name: 'p2p-call-consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages: {} };
  const spec = (file) => `file:${basename(file)}`;
  lock.packages[''] = {
    name: 'p2p-call-consumer',
    version: '1.0.0',
    dependencies: { [elementManifest.name]: spec(tarballs.element), [serverManifest.name]: spec(tarballs.server) },
  };
  const tarballEntry = (manifest, file) => ({
    version: manifest.version,
    resolved: spec(file),
    integrity: integrityOf(file),
    license: manifest.license,
    dependencies: manifest.dependencies,
    ...(manifest.bin ? { bin: manifest.bin } : {}),
    ...(manifest.engines ? { engines: manifest.engines } : {}),
  });
  lock.packages[`node_modules/${elementManifest.name}`] = tarballEntry(elementManifest, tarballs.element);
  lock.packages[`node_modules/${serverManifest.name}`] = tarballEntry(serverManifest, tarballs.server);

  // The server workspace's own nested dependencies (if npm nested any) live under its folder in the consumer.
  const consumerPath = (location) =>
    location.startsWith('server/')
      ? `node_modules/${serverManifest.name}/${location.slice('server/'.length)}`
      : location;
  const queue = [
    ...Object.keys(elementManifest.dependencies ?? {}).map((name) => ['', name, true]),
    ...Object.keys(serverManifest.dependencies ?? {})
      .filter((name) => name !== elementManifest.name)
      .map((name) => ['server', name, true]),
  ];
  const seen = new Set();
  while (queue.length) {
    const [from, name, required] = queue.shift();
    const location = locate(packages, from, name);
    if (!location) {
      if (required) throw new Error(`${name} (needed by ${from || 'the root'}) is not in package-lock.json`);
      continue;
    }
    if (seen.has(location)) continue;
    seen.add(location);
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = packages[location];
    lock.packages[consumerPath(location)] = entry;
    for (const [dependency, isRequired] of needs(entry)) queue.push([location, dependency, isRequired]);
  }
  return lock;
}
