// The whole lab for one run: the networks, coturn, the signaling servers (without TURN, and minting TURN
// credentials), and one browser per client namespace. Built once, shared by every suite, torn down on every path.
import { mkdir, rm } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import { launchChromium, launchFirefox } from './browsers.mjs';
import { prefixFor, removeNamespaces, runDirFor } from './cleanup.mjs';
import { startCoturn } from './coturn.mjs';
import { stopAllProcesses } from './processes.mjs';
import { closePage, openLabPage } from './pages.mjs';
import { snapshotBundle, startSignaling } from './signaling.mjs';
import { ALT_PUBLIC_ADDRESS, PUBLIC_ADDRESS, Topology } from './topology.mjs';

/**
 * The client namespaces. Two of each profile for the matrix, so that a pair of the same profile sits behind two
 * different routers (two homes, two carriers), as in the field. `roam` and `home` are the network-change and
 * impairment tests' own (so those never disturb a matrix call): `roam` has a second router on its LAN.
 */
export const CLIENTS = [
  ['open1', 'open'],
  ['open2', 'open'],
  ['eim1', 'eim'],
  ['eim2', 'eim'],
  ['sym1', 'symmetric'],
  ['sym2', 'symmetric'],
  ['udpb1', 'udp-blocked'],
  ['udpb2', 'udp-blocked'],
  ['roam', 'eim', { backupRouter: true }],
  ['home', 'eim'],
];

/** Firefox runs in these client namespaces (beside the Chromium there). */
export const FIREFOX_CLIENTS = ['eim1'];

const SIGNALING_PORT = 8080;
const SIGNALING_TURN_PORT = 8081;

export class Lab {
  constructor() {
    this.prefix = prefixFor(process.pid);
    this.dir = runDirFor(process.pid);
    this.topology = new Topology(this.prefix);
    /** `${client}/${kind}` -> a launched browser */
    this.browsers = new Map();
    /** `${client}/${kind}` -> its launch, in progress or done (see browserFor) */
    this.launches = new Map();
    this.timings = {};
  }

  async setUp({ log }) {
    const started = Date.now();
    await mkdir(this.dir, { recursive: true });
    await this.topology.createInternet();
    for (const [name, profile, options] of CLIENTS) await this.topology.addClient(name, profile, options);
    this.timings.network = Date.now() - started;
    this.turn = await startCoturn({
      ns: this.topology.publicNs,
      address: PUBLIC_ADDRESS,
      altAddress: ALT_PUBLIC_ADDRESS,
      dir: this.dir,
    });
    const bundle = await snapshotBundle(this.dir);
    const base = { ns: this.topology.publicNs, address: PUBLIC_ADDRESS, dir: this.dir, bundle };
    const turnUrls = [this.turn.urls.udp, this.turn.urls.tcp, this.turn.urls.tls];
    [this.signaling, this.signalingTurn] = await Promise.all([
      startSignaling({ ...base, port: SIGNALING_PORT }),
      startSignaling({ ...base, port: SIGNALING_TURN_PORT, turn: { secret: this.turn.secret, urls: turnUrls } }),
    ]);
    this.timings.servers = Date.now() - started - this.timings.network;
    log(`network ${this.timings.network} ms, coturn and signaling ${this.timings.servers} ms`);
  }

  /**
   * The browser of one side of a call (`{ client, kind }`), launched inside the client's namespace on first use and
   * shared after that. Launching on demand keeps a partial run (one suite, a few cells) from starting ten browsers;
   * the full matrix warms them all up front with warmUp().
   */
  browserFor({ client, kind = 'chromium' }) {
    const key = `${client}/${kind}`;
    let launch = this.launches.get(key);
    if (!launch) {
      const target = this.client(client);
      if (!target) return Promise.reject(new Error(`no client ${client}`));
      if (kind === 'firefox' && !FIREFOX_CLIENTS.includes(client))
        return Promise.reject(new Error(`no Firefox in ${client}`));
      const started = Date.now();
      launch = (
        kind === 'firefox'
          ? launchFirefox({ client: target, dir: this.dir })
          : launchChromium({
              client: target,
              dir: this.dir,
              secureOrigins: [this.signaling.origin, this.signalingTurn.origin],
            })
      ).then((browser) => {
        this.browsers.set(key, browser);
        this.timings[`${kind} ${client}`] = Date.now() - started;
        return browser;
      });
      launch.catch(() => {}); // reported to whoever awaits it
      this.launches.set(key, launch);
    }
    return launch;
  }

  /**
   * Launches the browsers of `sides` ahead of their first call, then opens the lab page in each, one browser at a
   * time; resolves with their versions. A browser's first page starts its renderer and compiles the bundle: ten of
   * those at once, as the matrix's first calls began, kept a 2-core machine's run queue at 30-90 for half a minute
   * and a page's navigation ran past its 15 s timeout. Firefox starts once the Chromiums are up, alone: beside them,
   * or later beside the matrix's calls, its WebDriver BiDi session was not ready within the 30 s protocol timeout.
   */
  async warmUp(sides) {
    const isFirefox = (side) => side.kind === 'firefox';
    const browsers = await Promise.all(sides.filter((side) => !isFirefox(side)).map((side) => this.browserFor(side)));
    for (const side of sides.filter(isFirefox)) browsers.push(await this.browserFor(side));
    for (const browser of browsers) await closePage(await openLabPage(browser, this.signaling.page));
    return [...new Set(browsers.map((b) => `${b.kind} ${b.version}`))];
  }

  /**
   * Closes every browser but those of `keep` (sides as for browserFor). An idle browser is not idle: after the matrix,
   * Firefox kept a quarter of the machine busy for ten seconds, and each idle Chromium started its on-device model
   * service at the same moment (a fifth of the machine for five seconds), during the network changes that time the
   * product's recovery.
   */
  async closeBrowsersExcept(keep) {
    const kept = new Set(keep.map(({ client, kind = 'chromium' }) => `${client}/${kind}`));
    await Promise.allSettled(this.launches.values());
    const closing = [...this.browsers].filter(([key]) => !kept.has(key));
    for (const [key] of closing) {
      this.browsers.delete(key);
      this.launches.delete(key);
    }
    await Promise.all(closing.map(([, browser]) => browser.close().catch(() => {})));
    return closing.length;
  }

  /** Every browser launched so far, as `kind version`. */
  versions() {
    return [...new Set([...this.browsers.values()].map((b) => `${b.kind} ${b.version}`))];
  }

  client(name) {
    return this.topology.clients.get(name);
  }

  /** ICE servers a host page would configure itself: coturn's STUN, plus TURN with REST credentials if asked. */
  iceServers({ stun = true, turn = false } = {}) {
    const servers = [];
    if (stun) servers.push({ urls: this.turn.urls.stun });
    if (turn) {
      const username = `${Math.floor(Date.now() / 1000) + 600}:lab-host`;
      const credential = createHmac('sha1', this.turn.secret).update(username).digest('base64');
      servers.push({ urls: [this.turn.urls.udp, this.turn.urls.tcp, this.turn.urls.tls], username, credential });
    }
    return servers;
  }

  async tearDown() {
    const errors = [];
    // A browser still starting is waited for, so that it is closed too (each launch has its own timeout).
    await Promise.allSettled(this.launches.values());
    await Promise.all([...this.browsers.values()].map((b) => b.close().catch((e) => errors.push(e.message))));
    this.browsers.clear();
    await stopAllProcesses();
    // Anything still inside the namespaces (a browser's orphaned child) is killed by pid, then they are removed.
    const result = await removeNamespaces(this.topology.namespaces);
    if (result.failures.length) errors.push(...result.failures);
    this.topology.namespaces = [];
    await rm(this.dir, { recursive: true, force: true });
    if (errors.length) throw new Error(`teardown: ${errors.join('; ')}`);
  }
}
