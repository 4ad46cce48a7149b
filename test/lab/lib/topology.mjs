// Builds the lab's networks out of namespaces, veth pairs and bridges, and takes them down again.
//
//   public namespace            bridge `inet` 203.0.113.1/24 (TEST-NET-3): the signaling server, coturn
//     |-- core                  203.0.113.254: every public host's default route; forwards nothing (see below)
//     |-- open client           eth0 203.0.113.1xx/24 on the bridge: a public address, no NAT
//     |-- router (wan) 203.0.113.1x/24 -- NAT/firewall (nftables) -- (lan) 10.N.0.1/24 --+
//     |-- backup router (wan) 203.0.113.1x/24 ------------------------ (lan) 10.N.0.254/24 --+-- client bridge `lan0`
//                                                                                            10.N.0.2/24, default via .1
// Every namespace is named `<prefix><role>`, the prefix unique to the run (see cleanup.mjs): nothing here touches
// the host's own namespace, so removing the namespaces (lab.mjs) removes every interface and nftables table too.
import { mkdir, writeFile } from 'node:fs/promises';
import { PROFILES } from './profiles.mjs';
import { ip, nft, run, sysctl } from './shell.mjs';

export const PUBLIC_ADDRESS = '203.0.113.1';
/**
 * The "rest of the internet": the default gateway of every public host, which drops whatever it is sent. Without a
 * default route a packet to an address outside the lab (a peer's private host candidate, say) fails at once with
 * "network unreachable", which nothing on the real internet does: coturn then drops the TURN allocation that tried
 * to relay it, and a client's ICE check fails instantly instead of timing out.
 */
const CORE_ADDRESS = '203.0.113.254';
/** A second server address on the same segment: coturn's alternate address for RFC 5780 probes. */
export const ALT_PUBLIC_ADDRESS = '203.0.113.2';
const INTERNET_PREFIX = '203.0.113';
/** Per-namespace files `ip netns exec` mounts over /etc (removed with the namespaces: see cleanup.mjs). */
export const NETNS_ETC = '/etc/netns';

export class Topology {
  /** @param {string} prefix unique to this run, e.g. `p2pl-1234-` */
  constructor(prefix) {
    this.prefix = prefix;
    this.publicNs = `${prefix}pub`;
    /** Every namespace made, so teardown removes exactly those. */
    this.namespaces = [];
    /** name -> { ns, profile, address, lan, routers: [{ ns, wanAddress, lanAddress }] } */
    this.clients = new Map();
    this.nextRouterHost = 10;
    this.nextOpenHost = 100;
    this.nextLan = 1;
    this.nextPort = 1;
  }

  async #namespace(role) {
    const ns = `${this.prefix}${role}`;
    await ip(undefined, 'netns', 'add', ns);
    this.namespaces.push(ns);
    await ip(ns, 'link', 'set', 'lo', 'up');
    return ns;
  }

  /** A veth from `ns` (named `name`) plugged into the public bridge. */
  async #plugIntoInternet(ns, name) {
    const port = `p${this.nextPort++}`;
    await ip(undefined, 'link', 'add', name, 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', this.publicNs);
    await ip(this.publicNs, 'link', 'set', port, 'master', 'inet', 'up');
  }

  async createInternet() {
    const ns = await this.#namespace('pub');
    await ip(ns, 'link', 'add', 'inet', 'type', 'bridge');
    await ip(ns, 'addr', 'add', `${PUBLIC_ADDRESS}/24`, 'dev', 'inet');
    await ip(ns, 'addr', 'add', `${ALT_PUBLIC_ADDRESS}/24`, 'dev', 'inet');
    await ip(ns, 'link', 'set', 'inet', 'up');
    const core = await this.#namespace('core');
    await this.#plugIntoInternet(core, 'eth0');
    await ip(core, 'addr', 'add', `${CORE_ADDRESS}/24`, 'dev', 'eth0');
    await ip(core, 'link', 'set', 'eth0', 'up');
    await sysctl(core, 'net.ipv4.ip_forward', 0);
    await ip(ns, 'route', 'add', 'default', 'via', CORE_ADDRESS);
  }

  /** A client namespace of `profile`; `backupRouter` adds a second router of the same profile on its LAN. */
  async addClient(name, profile, { backupRouter = false } = {}) {
    const spec = PROFILES[profile];
    if (!spec) throw new Error(`unknown profile ${profile}`);
    const ns = await this.#namespace(name);
    // The lab has no DNS. `ip netns exec` mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: pointed at the
    // namespace's own loopback, a browser's lookups fail at once instead of timing out (Firefox took 23 s to start).
    await mkdir(`${NETNS_ETC}/${ns}`, { recursive: true });
    await writeFile(`${NETNS_ETC}/${ns}/resolv.conf`, 'nameserver 127.0.0.1\n');
    const client = { name, ns, profile, routers: [] };
    if (!spec.router) {
      client.address = `${INTERNET_PREFIX}.${this.nextOpenHost++}`;
      await this.#plugIntoInternet(ns, 'eth0');
      await ip(ns, 'addr', 'add', `${client.address}/24`, 'dev', 'eth0');
      await ip(ns, 'link', 'set', 'eth0', 'up');
      await ip(ns, 'route', 'add', 'default', 'via', CORE_ADDRESS);
    } else {
      const lan = this.nextLan++;
      client.lan = lan;
      client.address = `10.${lan}.0.2`;
      // An IPv4 lab: no IPv6 on the client's links. Left on, every link that comes up gets a link-local address
      // whose duplicate-address detection ends 1-2 s later, and Chromium (Linux) tells WebRTC of new networks only
      // 2 s after the last address event: the `link` change measured 3.4-4.4 s when the roaming side made the offer,
      // bound by that browser delay, not by the call (docs/network-lab.md).
      await sysctl(ns, 'net.ipv6.conf.all.disable_ipv6', 1);
      await sysctl(ns, 'net.ipv6.conf.default.disable_ipv6', 1);
      await ip(ns, 'link', 'add', 'lan0', 'type', 'bridge');
      // A new address on the same link takes over when the old one is removed (the network-change test).
      await sysctl(ns, 'net.ipv4.conf.all.promote_secondaries', 1);
      await sysctl(ns, 'net.ipv4.conf.lan0.promote_secondaries', 1);
      await ip(ns, 'addr', 'add', `${client.address}/24`, 'dev', 'lan0');
      await ip(ns, 'link', 'set', 'lan0', 'up');
      const hosts = backupRouter ? [1, 254] : [1];
      for (const [index, host] of hosts.entries())
        client.routers.push(await this.#addRouter(client, profile, index, host));
      await ip(ns, 'route', 'add', 'default', 'via', client.routers[0].lanAddress);
    }
    this.clients.set(name, client);
    return client;
  }

  async #addRouter(client, profile, index, host) {
    const ns = await this.#namespace(`${client.name}-r${index + 1}`);
    const wanAddress = `${INTERNET_PREFIX}.${this.nextRouterHost++}`;
    const lanAddress = `10.${client.lan}.0.${host}`;
    await this.#plugIntoInternet(ns, 'wan');
    await ip(ns, 'addr', 'add', `${wanAddress}/24`, 'dev', 'wan');
    await ip(ns, 'link', 'set', 'wan', 'up');
    await ip(ns, 'route', 'add', 'default', 'via', CORE_ADDRESS);
    const port = `r${index + 1}`;
    await ip(undefined, 'link', 'add', 'lan', 'netns', ns, 'type', 'veth', 'peer', 'name', port, 'netns', client.ns);
    await ip(client.ns, 'link', 'set', port, 'master', 'lan0', 'up');
    await ip(ns, 'addr', 'add', `${lanAddress}/24`, 'dev', 'lan');
    await ip(ns, 'link', 'set', 'lan', 'up');
    await sysctl(ns, 'net.ipv4.ip_forward', 1);
    await nft(ns, PROFILES[profile].rules);
    return { ns, wanAddress, lanAddress };
  }
}

/** Runs `command` inside `ns` and returns its stdout (for checks and network changes). */
export const inNamespace = (ns, command, args, options) => run('ip', ['netns', 'exec', ns, command, ...args], options);
