// The client network profiles: what sits between a client's LAN and the lab's "internet" segment. Each NAT profile
// is an nftables ruleset loaded into the router's namespace (`wan` faces the internet, `lan` the client).
//
// Linux connection tracking filters like a port-restricted cone NAT: only packets answering a mapping the inside
// opened come back in (address- and port-dependent filtering). What the profiles change is the mapping:
//   eim          `masquerade persistent`: the source port is kept, so one inside socket shows the same public
//                address and port to every destination (endpoint-independent mapping, RFC 4787). The home-router case.
//   symmetric    `masquerade random`: every new destination gets a random public port (address- and port-dependent
//                mapping). The mapping a STUN server reports is useless to any other peer. The carrier-NAT case.
//   udp-blocked  eim NAT plus a firewall that drops all UDP except DNS both ways; TCP passes. The corporate case.
//   open         no router: a public address on the internet segment itself.

/**
 * NAT ruleset for the router; `mapping` is the masquerade flag that defines the profile. Like any home or carrier
 * router it also drops unsolicited packets addressed to itself from the internet. Besides being what routers do,
 * that matters to the NAT's behaviour: a packet the router accepted for itself (answering with "port unreachable")
 * leaves a connection-tracking entry that takes the public port, so the inside host's own packets to that sender get
 * another port: an ICE check arriving first would turn an endpoint-independent NAT into a symmetric one.
 */
const natRules = (mapping) => `
table ip lab_nat {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" masquerade ${mapping}
  }
}
table inet lab_router {
  chain input {
    type filter hook input priority filter; policy accept;
    iifname "wan" ct state established,related accept
    iifname "wan" drop
  }
}
`;

const udpFirewall = `
table inet lab_firewall {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname "lan" udp dport != 53 drop
    iifname "wan" udp sport != 53 drop
  }
}
`;

export const PROFILES = {
  open: { router: false, summary: 'no NAT: a public address on the internet segment' },
  eim: {
    router: true,
    rules: natRules('persistent'),
    summary: 'NAT, endpoint-independent mapping (masquerade persistent)',
  },
  symmetric: {
    router: true,
    rules: natRules('random'),
    summary: 'NAT, a random public port per destination (masquerade random): symmetric',
  },
  'udp-blocked': {
    router: true,
    rules: natRules('persistent') + udpFirewall,
    summary: 'eim NAT plus a firewall dropping all UDP but DNS; TCP allowed',
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

/**
 * Packet loss and rate limits on a router (nftables can drop and police, not delay). Both directions through the
 * router, each with its own counter and token bucket. `lossPercent` drops that share at random; `rateKbit` polices
 * each direction to that rate (packets over it are dropped, as an ISP's policer does; a shaper would queue them).
 */
export function impairmentRules({ lossPercent = 0, rateKbit = 0 }) {
  const rules = [];
  if (lossPercent > 0) rules.push(`numgen random mod 100 < ${lossPercent} counter drop`);
  if (rateKbit > 0) {
    const bytesPerSecond = Math.round((rateKbit * 1000) / 8);
    // A burst of ~50 ms at the rate: enough for a video frame's packets, small enough to bite.
    const burst = Math.max(3000, Math.round(bytesPerSecond / 20));
    rules.push(`limit rate over ${bytesPerSecond} bytes/second burst ${burst} bytes counter drop`);
  }
  const chain = (name, iif) => rules.map((rule) => `    iifname "${iif}" ${rule}`).join('\n');
  return `
table inet lab_impair {
  chain forward {
    type filter hook forward priority filter - 10; policy accept;
${chain('up', 'lan')}
${chain('down', 'wan')}
  }
}
`;
}
