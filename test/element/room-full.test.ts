import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { nextEvent, waitForState } from '../support/call-helpers.js';
import { callPair, signalingUrl } from '../support/two-party.js';

async function thirdJoiner(room: string, signaling: string) {
  const third = await fixture<P2PCall>(html`<p2p-call room=${room} signaling=${signaling} name="Eve"></p2p-call>`);
  const error = nextEvent(third, 'p2p-error');
  void third.join();
  return { third, error: (await error).detail };
}

describe('<p2p-call> rooms hold two', () => {
  for (const kind of ['websocket', 'broadcast'] as const) {
    it(`refuses a third joiner with room-full (${kind}) and the call goes on`, async () => {
      const signaling = kind === 'websocket' ? await signalingUrl() : 'broadcast';
      const { room, a, b } = await callPair(signaling);
      await waitForState(a, 'connected');
      await waitForState(b, 'connected');
      const { third, error } = await thirdJoiner(room, signaling);
      expect(error).to.deep.equal({
        code: 'room-full',
        message: 'This room already has two people in it.',
        recoverable: false,
      });
      await waitForState(third, 'error');
      expect(third.outgoingStream).to.equal(undefined); // its camera was released
      expect(a.state).to.equal('connected');
      expect(b.state).to.equal('connected');
      expect(a.remotePeer?.name).to.equal('Grace');
    });
  }
});
