// selectedRoute on connections reduced to what it reads: the ICE transport's selected pair (Chromium, Safari) or the
// getStats report (Firefox). The protocol it reports for a relay is how this side reaches the TURN server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QUALITY_INTERVAL_MS } from '../../../src/session/quality-monitor.js';
import { RelayGuard } from '../../../src/session/relay-guard.js';
import { selectedRoute } from '../../../src/session/route.js';
import { selectedPair } from '../../../src/session/selected-pair.js';
import { CallHarness, type TestSession } from '../support/session-harness.js';

type Candidate = { type: string; protocol: string; relayProtocol?: string | null; address?: string; port?: number };

/** A connection whose ICE transport has `local` and `remote` as its selected pair. */
function withTransport(local: Candidate, remote: Candidate): RTCPeerConnection {
  const iceTransport = { getSelectedCandidatePair: () => ({ local, remote }) };
  return { sctp: { transport: { iceTransport } } } as unknown as RTCPeerConnection;
}

/** A connection with no ICE transport (Firefox) whose getStats names `local` and `remote` as the selected pair. */
function withStats(local: Record<string, unknown>, remote: Record<string, unknown>): RTCPeerConnection {
  const report = new Map<string, Record<string, unknown>>([
    ['P', { type: 'candidate-pair', selected: true, localCandidateId: 'L', remoteCandidateId: 'R' }],
    ['L', { type: 'local-candidate', ...local }],
    ['R', { type: 'remote-candidate', address: '203.0.113.1', port: 40000, ...remote }],
  ]);
  return { sctp: null, getStats: async () => report } as unknown as RTCPeerConnection;
}

describe('selectedRoute', () => {
  it('reports how a relay is reached (TURN over TCP or TLS), not the relayed leg (always UDP)', async () => {
    const direct = await selectedRoute(
      withTransport({ type: 'host', protocol: 'udp', relayProtocol: null }, { type: 'host', protocol: 'udp' }),
    );
    assert.equal(direct?.protocol, 'udp', "a direct path: the candidate's own protocol");
    const remote = { type: 'srflx', protocol: 'udp', address: '203.0.113.7', port: 5000 };
    for (const relayProtocol of ['udp', 'tcp', 'tls']) {
      const route = await selectedRoute(withTransport({ type: 'relay', protocol: 'udp', relayProtocol }, remote));
      assert.deepEqual(route, {
        route: 'relay',
        local: 'relay',
        remote: 'srflx',
        protocol: relayProtocol,
        remoteAddress: '203.0.113.7',
        remotePort: 5000,
      });
      const fromStats = await selectedRoute(
        withStats({ candidateType: 'relay', protocol: 'udp', relayProtocol }, { candidateType: 'srflx' }),
      );
      assert.equal(fromStats?.protocol, relayProtocol);
    }
  });

  it('gives an IPv6 address as candidate lines write it, from the ICE transport (brackets) and from getStats alike', async () => {
    const host = { type: 'host', protocol: 'udp' };
    const fromTransport = await selectedRoute(withTransport(host, { ...host, address: '[FD00::2]', port: 47728 }));
    const fromStats = await selectedRoute(
      withStats({ candidateType: 'host', protocol: 'udp' }, { candidateType: 'host', address: 'fd00::2', port: 47728 }),
    );
    assert.equal(fromTransport?.remoteAddress, 'fd00::2');
    assert.deepEqual(fromStats, fromTransport);
    // What the address is for: a relay the other side announced over IPv6, selected as a peer-reflexive candidate.
    const guard = new RelayGuard();
    guard.filter({
      type: 'candidate',
      candidate: { candidate: 'candidate:1 1 udp 5 fd00::2 47728 typ relay raddr :: rport 0' },
    });
    assert.equal(guard.isForbidden(fromTransport!.remoteAddress, fromTransport!.remotePort), true);
  });
});

/**
 * Lets fake and real time pass until `side` has reported `count` routes, for at most 5 s of real time: the route is
 * read by code in a chunk loaded on demand, and a dynamic import resolves in real time (the module loader answers
 * from its own thread), not in fake time.
 */
async function routes(call: CallHarness, side: TestSession, count: number): Promise<void> {
  const deadline = process.hrtime.bigint() + 5_000_000_000n;
  while (side.all('route').length < count && process.hrtime.bigint() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    await call.run(10);
  }
}

describe('selectedPair', () => {
  it("takes the nominated, succeeded pair carrying the bytes when Chromium's transport report names none", () => {
    const pair = (id: string, extra: Record<string, unknown>) =>
      [id, { type: 'candidate-pair', id, ...extra }] as const;
    const report = new Map<string, Record<string, unknown>>([
      ['T', { type: 'transport', bytesReceived: 9000 }],
      pair('waiting', { nominated: false, state: 'waiting', bytesReceived: 0 }),
      pair('idle', { nominated: true, state: 'succeeded', bytesReceived: 40 }),
      pair('in-use', { nominated: true, state: 'succeeded', bytesReceived: 8960 }),
      pair('failed', { nominated: true, state: 'failed', bytesReceived: 99999 }),
    ]) as unknown as RTCStatsReport;
    assert.equal(selectedPair(report)?.id, 'in-use');
    (report as unknown as Map<string, Record<string, unknown>>).set('T', {
      type: 'transport',
      selectedCandidatePairId: 'idle',
    });
    assert.equal(selectedPair(report)?.id, 'idle', "the transport's own word comes first");
  });
});

describe('route events over a call (fake links)', () => {
  it('follow a change of the selected pair while ICE stays connected', async () => {
    const call = new CallHarness();
    try {
      call.network.iceTransports = 'pair';
      const a = call.add('a');
      call.add('b');
      await call.joinAll();
      await routes(call, a, 1);
      assert.deepEqual(a.all('route').at(-1), { route: 'direct', local: 'host', remote: 'host', protocol: 'udp' });
      const link = call.network.started.find((candidate) => candidate.initiator && !candidate.closed)!;
      link.fake.sctp!.transport.iceTransport.select('relay', 'host');
      await routes(call, a, 2);
      assert.deepEqual(a.all('route').at(-1), { route: 'relay', local: 'relay', remote: 'host', protocol: 'udp' });
    } finally {
      call.dispose();
    }
  });

  for (const [browser, iceTransports] of [
    ['no ICE transport', false],
    ["Firefox's ICE transport, which tells only its state", 'state'],
  ] as const) {
    it(`follow a change of the selected pair where the browser announces none (${browser}): by the next quality sample`, async () => {
      const call = new CallHarness();
      try {
        call.network.iceTransports = iceTransports;
        const a = call.add('a');
        call.add('b');
        await call.joinAll();
        const link = () => call.network.started.find((candidate) => candidate.initiator && !candidate.closed)!;
        link().fake.statsPair = { local: { candidateType: 'srflx' }, remote: { candidateType: 'host' } };
        await routes(call, a, 1);
        assert.deepEqual(a.all('route').at(-1), { route: 'direct', local: 'srflx', remote: 'host', protocol: 'udp' });
        // ICE stays connected; only getStats shows the switch to a relay reached over TLS.
        link().fake.statsPair = {
          local: { candidateType: 'relay', relayProtocol: 'tls' },
          remote: { candidateType: 'host' },
        };
        const switchedAt = call.clock.now;
        await routes(call, a, 2);
        assert.deepEqual(a.all('route').at(-1), { route: 'relay', local: 'relay', remote: 'host', protocol: 'tls' });
        const reported = a.events.filter((event) => event.name === 'route').at(-1)!;
        assert.ok(reported.at - switchedAt <= QUALITY_INTERVAL_MS, `reported ${reported.at - switchedAt} ms after`);
        await call.run(3 * QUALITY_INTERVAL_MS);
        assert.equal(a.all('route').length, 2, 'an unchanged pair is not reported again');
      } finally {
        call.dispose();
      }
    });
  }
});
