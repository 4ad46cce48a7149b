import { expect } from '@open-wc/testing';
import { WebSocketSignaling, type SignalingEvent } from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';
import { signalingUrl } from '../support/two-party.js';

function openSocket(url: string): Promise<{ socket: WebSocket; frames: Array<Record<string, unknown>> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const frames: Array<Record<string, unknown>> = [];
    socket.onmessage = (event) => frames.push(JSON.parse(event.data as string));
    socket.onopen = () => resolve({ socket, frames });
    socket.onerror = () => reject(new Error('socket failed'));
  });
}

describe('WebSocketSignaling and the server, from the browser', () => {
  it('the server answers malformed frames with error frames and keeps the socket usable', async () => {
    const { socket, frames } = await openSocket(await signalingUrl());
    socket.send('not json at all');
    socket.send(JSON.stringify({ v: 1, type: 'teleport' }));
    socket.send(JSON.stringify({ v: 1, type: 'join', room: 42, peer: 'x' }));
    socket.send(JSON.stringify({ v: 1, type: 'signal', to: 'nobody', id: '1', payload: { type: 'offer' } }));
    await waitFor(() => frames.length === 4, 5000, 'four error frames');
    expect(frames.map((frame) => [frame.type, frame.code])).to.deep.equal([
      ['error', 'bad-json'],
      ['error', 'unknown-type'],
      ['error', 'bad-frame'],
      ['error', 'not-joined'],
    ]);
    expect(socket.readyState).to.equal(WebSocket.OPEN);
    socket.send(JSON.stringify({ v: 1, type: 'join', room: uniqueRoom(), peer: 'after-errors' }));
    await waitFor(() => frames.length === 5, 5000, 'the joined frame');
    expect(frames[4]).to.include({ type: 'joined', self: 'after-errors' });
    socket.close();
  });

  it('reports signaling-unavailable when no server answers, after its retries', async () => {
    // Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
    const signaling = new WebSocketSignaling('ws://127.0.0.1:9/signal', {
      backoff: { initialDelayMs: 20, maxDelayMs: 40 },
      attemptsBeforeJoined: 3,
    });
    const events: SignalingEvent[] = [];
    signaling.subscribe((event) => events.push(event));
    signaling.join({ room: uniqueRoom(), peerId: 'lonely', name: '' });
    await waitFor(() => events.length > 0, 10_000, 'an error');
    expect(events[0]).to.include({ type: 'error', code: 'signaling-unavailable', recoverable: false });
    signaling.leave();
  });

  it('joins, relays, and reports the other member leaving', async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const [a, b] = [new WebSocketSignaling(url), new WebSocketSignaling(url)];
    const [ea, eb]: SignalingEvent[][] = [[], []];
    a.subscribe((event) => ea.push(event));
    b.subscribe((event) => eb.push(event));
    a.join({ room, peerId: 'a1', name: 'A' });
    await waitFor(() => ea.some((event) => event.type === 'joined'), 5000, 'a joined');
    b.join({ room, peerId: 'b1', name: 'B' });
    await waitFor(() => ea.some((event) => event.type === 'peer-joined'), 5000, 'a hears b');
    expect(eb.find((event) => event.type === 'joined')).to.deep.include({ self: 'b1', peers: [{ id: 'a1', name: 'A' }] });
    b.send('a1', 'x1', { type: 'candidate', candidate: { candidate: '' } });
    await waitFor(() => ea.some((event) => event.type === 'signal'), 5000, 'the relayed signal');
    expect(ea.find((event) => event.type === 'signal')).to.deep.equal({
      type: 'signal',
      from: 'b1',
      id: 'x1',
      payload: { type: 'candidate', candidate: { candidate: '' } },
    });
    b.leave();
    await waitFor(() => ea.some((event) => event.type === 'peer-left'), 5000, 'peer-left');
    a.leave();
  });

  it('holds a signal for a peer that is not (back) in the room, and delivers it when it is', async () => {
    // After a server restart the two rejoin one after the other; the server refuses a signal to a member it does
    // not seat, so the adapter must wait for the addressee instead of losing the message.
    const url = await signalingUrl();
    const room = uniqueRoom();
    const [a, b] = [new WebSocketSignaling(url), new WebSocketSignaling(url)];
    const [ea, eb]: SignalingEvent[][] = [[], []];
    a.subscribe((event) => ea.push(event));
    b.subscribe((event) => eb.push(event));
    a.join({ room, peerId: 'a2', name: 'A' });
    await waitFor(() => ea.some((event) => event.type === 'joined'), 5000, 'a joined');
    a.send('b2', 'early-1', { type: 'renegotiate', renegotiate: true });
    await new Promise((resolve) => setTimeout(resolve, 300)); // time enough for a refusal to come back
    b.join({ room, peerId: 'b2', name: 'B' });
    await waitFor(() => eb.some((event) => event.type === 'signal'), 5000, 'the held signal');
    expect(eb.find((event) => event.type === 'signal')).to.deep.include({ from: 'a2', id: 'early-1' });
    expect(ea.filter((event) => event.type === 'error')).to.deep.equal([]);
    a.leave();
    b.leave();
  });
});
