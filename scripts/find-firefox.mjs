// Finds a system Firefox for the interop test: FIREFOX_PATH, then Debian's firefox-esr and the usual paths. Nothing
// here installs or downloads a browser (.ci/run installs Debian's firefox-esr on a fresh machine).
import { isExecutable } from './find-chrome.mjs';

const CANDIDATES = [
  '/usr/bin/firefox-esr',
  '/usr/lib/firefox-esr/firefox-esr',
  '/usr/bin/firefox',
  '/usr/lib/firefox/firefox',
];


export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new Error(`FIREFOX_PATH=${fromEnv} is not an executable file.`);
  }
  const found = CANDIDATES.find(isExecutable);
  if (found) return found;
  throw new Error('No Firefox found: install one (Debian: apt-get install firefox-esr) or set FIREFOX_PATH.');
}

/** A port nothing listens on: every URL below points there, so a request Firefox still makes fails at once, locally. */
const NOWHERE = 'http://127.0.0.1:9/';

/**
 * Profile preferences for headless Firefox in tests: fake camera and microphone with no prompt, and no network
 * traffic but loopback. puppeteer-core already writes a fresh temporary profile with its own test defaults (no
 * updates, safebrowsing lists, health report, normandy...); these close what is left, and as a backstop send every
 * proxied request to a closed loopback port while loopback itself stays direct.
 */
export const FIREFOX_PREFS = {
  // Fake devices, no permission prompt, media may play without a gesture.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // With the permission prompt disabled, Firefox does not count the page as camera-granted and hides its host
  // candidates behind mDNS names (abc.local), which Chromium can only resolve by multicast on the LAN; the call then
  // connects only through peer-reflexive candidates. A real user who allowed the camera gets plain host candidates:
  // so does the test, and its ICE traffic stays on this machine's own addresses.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Updates, add-ons, plugins.
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'app.update.url': NOWHERE,
  'extensions.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'media.gmp-manager.url': NOWHERE,
  'media.gmp-gmpopenh264.enabled': false,
  // Telemetry and data reporting.
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': NOWHERE,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'browser.ping-centre.telemetry': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  // Captive portal and connectivity checks.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'captivedetect.canonicalURL': NOWHERE,
  // Safe browsing lists.
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.safebrowsing.provider.google.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  // Remote settings, region, search, push, geolocation, new tab content.
  'services.settings.server': NOWHERE,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'browser.search.update': false,
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'geo.provider.network.url': '',
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.topsites.contile.enabled': false,
  // Speculative traffic, DNS over HTTPS, certificate status checks.
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'network.trr.mode': 5,
  'security.OCSP.enabled': 0,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.remote_settings.intermediates.enabled': false,
  // Backstop: a manual proxy on a closed loopback port for everything but loopback.
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.share_proxy_settings': false,
  'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
  'network.proxy.allow_hijacking_localhost': false,
};

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(findFirefox());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
