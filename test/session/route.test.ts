import { expect } from '@open-wc/testing';
import { selectedRoute } from '../../src/session/route.js';
import { waitFor } from '../support/call-helpers.js';

/** Two real connections in this page, wired to each other directly, with a data channel up (no ICE servers). */
async function connectedPair(): Promise<[RTCPeerConnection, RTCPeerConnection]> {
  const a = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  const b = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
  a.onicecandidate = (event) => event.candidate && void b.addIceCandidate(event.candidate);
  b.onicecandidate = (event) => event.candidate && void a.addIceCandidate(event.candidate);
  const channel = a.createDataChannel('route');
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await waitFor(() => channel.readyState === 'open', 10000, 'the data channel to open');
  return [a, b];
}

describe('selectedRoute', () => {
  let pair: RTCPeerConnection[] = [];
  afterEach(() => pair.forEach((connection) => connection.close()));

  it('reads the selected pair from the ICE transport, without getStats, unless it only knows a peer-reflexive one', async () => {
    pair = await connectedPair();
    const [a] = pair;
    let statsCalls = 0;
    const getStats = a.getStats.bind(a);
    a.getStats = ((...args: Parameters<RTCPeerConnection['getStats']>) => {
      statsCalls++;
      return getStats(...args);
    }) as RTCPeerConnection['getStats'];
    const host = { route: 'direct', local: 'host', remote: 'host', protocol: 'udp' };
    const transport = a.sctp!.transport.iceTransport;
    await waitFor(() => transport.getSelectedCandidatePair()?.remote?.type === 'host', 3000, 'a host pair').catch(
      () => undefined,
    );
    expect(await selectedRoute(a)).to.deep.include(host);
    // A check can beat the candidate's description: the transport then calls the peer's candidate peer-reflexive
    // for good, and the answer (still "host") must come from getStats.
    const learnedFromCheck = transport.getSelectedCandidatePair()?.remote?.type === 'prflx';
    expect(statsCalls).to.equal(learnedFromCheck ? 1 : 0);
  });

  it('falls back to getStats where the connection exposes no ICE transport (Firefox), with the same answer', async () => {
    pair = await connectedPair();
    const [a] = pair;
    const fromTransport = await selectedRoute(a);
    expect(fromTransport).to.deep.include({ route: 'direct', local: 'host', remote: 'host', protocol: 'udp' });
    expect(fromTransport!.remotePort).to.be.a('number');
    // What Firefox offers: getStats, but no sctp.transport.iceTransport with getSelectedCandidatePair().
    const withoutTransport = { sctp: null, getStats: () => a.getStats() } as unknown as RTCPeerConnection;
    expect(await selectedRoute(withoutTransport)).to.deep.equal(fromTransport);
  });

  it('says nothing before a pair is selected', async () => {
    const lonely = new RTCPeerConnection({ iceServers: [] });
    pair = [lonely];
    lonely.createDataChannel('none');
    await lonely.setLocalDescription();
    expect(await selectedRoute(lonely)).to.equal(undefined);
  });
});
