import { expect } from '@open-wc/testing';
import type { SignalingEvent } from '../../src/index.js';
import { remoteVideo, uniqueRoom, waitFor, waitForFrames, waitForState } from '../support/call-helpers.js';
import { HostChannel } from '../support/host-channel.js';
import { callPair } from '../support/two-party.js';

function recorder() {
  const events: SignalingEvent[] = [];
  return { events, listener: (event: SignalingEvent) => events.push(event), of: (type: string) => events.filter((e) => e.type === type) };
}

describe('CallbackSignaling (the host app carries the envelopes)', () => {
  it('introduces two members, delivers signals to the addressee only, and refuses a third', async () => {
    const channel = new HostChannel();
    const room = uniqueRoom();
    const [a, b, c] = [channel.connect(), channel.connect(), channel.connect()];
    const [ra, rb, rc] = [recorder(), recorder(), recorder()];
    a.subscribe(ra.listener);
    b.subscribe(rb.listener);
    c.subscribe(rc.listener);
    a.join({ room, peerId: 'alice', name: 'Alice' });
    b.join({ room, peerId: 'bob', name: 'Bob' });
    await waitFor(() => ra.of('peer-joined').length === 1 && rb.of('peer-joined').length === 1, 2000, 'introductions');
    expect(ra.of('peer-joined')[0]).to.deep.equal({ type: 'peer-joined', peer: { id: 'bob', name: 'Bob' } });
    expect(rb.of('peer-joined')[0]).to.deep.equal({ type: 'peer-joined', peer: { id: 'alice', name: 'Alice' } });

    c.join({ room, peerId: 'carol', name: 'Carol' });
    await waitFor(() => rc.of('error').length > 0, 2000, 'room-full');
    expect(rc.of('error')[0]).to.include({ code: 'room-full', recoverable: false });
    c.leave();

    a.send('bob', 'm1', { type: 'offer', sdp: 'v=0' });
    await waitFor(() => rb.of('signal').length === 1, 2000, 'the signal');
    expect(rb.of('signal')[0]).to.deep.equal({ type: 'signal', from: 'alice', id: 'm1', payload: { type: 'offer', sdp: 'v=0' } });
    expect(ra.of('signal')).to.have.length(0);
    expect(ra.of('peer-joined')).to.have.length(1); // Carol was never admitted

    b.leave();
    await waitFor(() => ra.of('peer-left').length === 1, 2000, 'peer-left');
    expect(ra.of('peer-left')[0]).to.deep.equal({ type: 'peer-left', peerId: 'bob' });
    a.leave();
  });

  it('drops malformed envelopes with a recoverable error and keeps working', async () => {
    const channel = new HostChannel();
    const room = uniqueRoom();
    const [a, b] = [channel.connect(), channel.connect()];
    const ra = recorder();
    a.subscribe(ra.listener);
    a.join({ room, peerId: 'alice', name: '' });
    for (const garbage of ['not json', '{"v":1,"type":"signal"}', '{"v":99,"type":"hello"}', '[]', 'null', '{"v":1,"type":"hello","room":"x","from":"<script>"}']) {
      channel.publish(garbage);
    }
    await waitFor(() => ra.of('error').length === 6, 2000, 'six errors');
    expect(ra.of('error').every((event) => event.type === 'error' && event.code === 'bad-message' && event.recoverable)).to.equal(true);
    b.join({ room, peerId: 'bob', name: '' });
    await waitFor(() => ra.of('peer-joined').length === 1, 2000, 'a real member still gets in');
    a.leave();
    b.leave();
  });

  it('carries a whole call between two elements', async () => {
    const channel = new HostChannel();
    const { a, b } = await callPair(() => channel.connect());
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    await waitForFrames(remoteVideo(b), 5);
    expect(channel.delivered).to.be.greaterThan(3);
  });
});
