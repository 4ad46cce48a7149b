// Before trusting the matrix, the lab checks that its networks are what they claim: coturn's RFC 5780 probes
// (turnutils_natdiscovery, from each client namespace) must classify every profile's mapping and filtering as
// intended, and the UDP-blocked network must get no STUN answer at all.
import { inNamespace, PUBLIC_ADDRESS } from './lib/topology.mjs';

const EXPECTED = {
  open: { mapping: 'Endpoint Independent', filtering: 'Endpoint Independent' },
  eim: { mapping: 'Endpoint Independent', filtering: 'Address and Port Dependent' },
  symmetric: { mapping: 'Address and Port Dependent', filtering: 'Address and Port Dependent' },
  'udp-blocked': { mapping: 'no STUN answer', filtering: 'no STUN answer' },
};

function classify(output) {
  const behaviour = (section) => {
    const text = output.split(`-= ${section} Behavior Discovery =-`)[1]?.split('-=')[0] ?? '';
    const found = /NAT with (.+?) (Mapping|Filtering)!/u.exec(text);
    if (found) return found[1];
    return /timeout/iu.test(text) ? 'no STUN answer' : 'unknown';
  };
  return { mapping: behaviour('Mapping'), filtering: behaviour('Filtering') };
}

/** Probes every client; returns rows { client, profile, mapping, filtering, ok }. */
export async function checkNetworks(lab) {
  const clients = [...lab.topology.clients.values()];
  return Promise.all(
    clients.map(async (client) => {
      const output = await inNamespace(client.ns, 'turnutils_natdiscovery', ['-m', '-f', PUBLIC_ADDRESS], {
        timeoutMs: 20_000,
      }).catch((error) => error.message);
      const seen = classify(output);
      const expected = EXPECTED[client.profile];
      const ok = seen.mapping === expected.mapping && seen.filtering === expected.filtering;
      return { client: client.name, profile: client.profile, ...seen, expected, ok };
    }),
  );
}
