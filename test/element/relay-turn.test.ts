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

  it('relay="forbid" never uses the other side’s relay: a call that could only be relayed ends with relay-forbidden', async () => {
    const url = (await executeServerCommand('turn-signaling-url')) as string;
    const room = uniqueRoom();
    const [a, b] = [await smallCameraElement(room, url, 'Ada'), await smallCameraElement(room, url, 'Grace')];
    a.setAttribute('relay', 'forbid');
    b.setAttribute('relay', 'only'); // B offers nothing but its relay: any path between them goes through it
    const routes: RouteDetail[] = [];
    a.addEventListener('p2p-route', (event) => routes.push(event.detail));
    const started = performance.now();
    const failure = new Promise<string>((resolve) =>
      a.addEventListener('p2p-error', (event) => {
        if (!event.detail.recoverable) resolve(event.detail.code);
      }),
    );
    void a.join();
    void b.join();
    expect(await failure).to.equal('relay-forbidden');
    expect(performance.now() - started).to.be.below(20_000);
    expect(a.state).to.equal('error');
    // Whatever A reported before it ended, it never gathered a relay of its own, and it said honestly how the path
    // went: through the other side's relay (which it learned from the other side, its browser hides that address).
    for (const route of routes) expect(route.local).to.not.equal('relay');
    expect(routes.at(-1)).to.deep.include({ route: 'relay', remote: 'relay' });
    b.leave();
    [a, b].forEach((call) => call.localStream!.getTracks().forEach((track) => track.stop()));
  });
});
