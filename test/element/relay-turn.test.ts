import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/p2p-call.js';
import type { RouteDetail } from '../../src/index.js';
import { uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { framesFlow } from '../support/share-helpers.js';
import { smallCameraElement } from '../support/two-party.js';

// A real coturn on loopback, credentials minted by our signaling server (TURN REST API), relay="only".
describe('<p2p-call> through a TURN relay', function () {
  this.timeout(120_000);

  it('relay="only" with server-minted coturn credentials: media flows through the relay and p2p-route says so', async () => {
    const url = (await executeServerCommand('turn-signaling-url')) as string;
    const room = uniqueRoom();
    const [a, b] = [await smallCameraElement(room, url, 'Ada'), await smallCameraElement(room, url, 'Grace')];
    const routes: RouteDetail[] = [];
    const errors: string[] = [];
    for (const call of [a, b]) {
      call.setAttribute('relay', 'only'); // and no ice-servers of the page's own: the credentials come from the server
      call.addEventListener('p2p-route', (event) => routes.push(event.detail));
      call.addEventListener('p2p-error', (event) => errors.push(event.detail.code));
    }
    void a.join();
    void b.join();
    await waitForState(a, 'connected', 60_000);
    await waitForState(b, 'connected', 60_000);
    await waitFor(() => routes.length >= 2, 20_000, 'the route on both sides');
    for (const route of routes) expect(route.route).to.equal('relay');
    expect(routes.some((route) => route.local === 'relay')).to.equal(true);
    await waitFor(() => Boolean(b.remoteStream), 10_000, 'the remote camera');
    await framesFlow(b.remoteStream!, 5, 'video through the relay');
    console.log(`routes: ${routes.map((route) => `${route.local} -> ${route.remote} (${route.protocol})`).join(', ')}`);
    expect(errors).to.deep.equal([]); // no "relay=only needs a TURN server" warning: the server supplied one
    a.leave();
    b.leave();
    [a, b].forEach((call) => call.localStream!.getTracks().forEach((track) => track.stop()));
  });
});
