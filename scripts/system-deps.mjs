// The system programs the tests use, beyond Node: browsers, Redis, coturn, and what the network lab builds with. On
// a Debian machine as root, whatever is missing is installed with apt-get (one command); elsewhere the run stops at
// once with one line naming what to install. Nothing here downloads anything but Debian packages.
import { execFileSync } from 'node:child_process';
import { isExecutable } from './find-chrome.mjs';

/** Debian package -> the executables that show it is there (any one of them). */
const NEEDED = {
  chromium: [
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
  ],
  'firefox-esr': ['/usr/bin/firefox-esr'],
  'redis-server': ['/usr/bin/redis-server'],
  coturn: ['/usr/bin/turnserver'],
  nftables: ['/usr/sbin/nft', '/sbin/nft'],
  iproute2: ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'],
  // sysctl: the network lab turns forwarding on in its router namespaces.
  procps: ['/usr/sbin/sysctl', '/sbin/sysctl'],
  openssl: ['/usr/bin/openssl'],
  // WebKitGTK's WebDriver (brings MiniBrowser) and a virtual display: the WebKit test in the interop tier.
  'webkit2gtk-driver': ['/usr/bin/WebKitWebDriver'],
  xvfb: ['/usr/bin/xvfb-run'],
};

export function missingPackages() {
  return Object.entries(NEEDED)
    .filter(([name, paths]) => !(name === 'chromium' && process.env.CHROME_PATH) && !paths.some(isExecutable))
    .map(([name]) => name);
}

/** Installs what is missing where it can; returns false (having said what to install) where it cannot. */
export function ensureSystemPackages() {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  const canApt = process.platform === 'linux' && process.getuid?.() === 0 && isExecutable('/usr/bin/apt-get');
  if (!canApt) {
    console.error(
      `The tests need these system packages: ${missing.join(' ')} (Debian: apt-get install ${missing.join(' ')}).`,
    );
    return false;
  }
  console.log(`Installing the system packages the tests need: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = missingPackages();
  if (still.length) console.error(`Still missing after apt-get: ${still.join(' ')}.`);
  return still.length === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(ensureSystemPackages() ? 0 : 1);
