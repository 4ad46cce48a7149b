// Leaving: an explicit leave, a clean close and a dropped connection all free the seat and tell the other member.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OFFER, connect, eventually, joined, startServer } from './helpers.mjs';

describe('leaving', () => {
  let server;
  before(async () => {
    ({ server } = await startServer());
  });
  after(() => server.close());

  for (const [how, leave] of [
    ['a leave frame', (client) => client.send({ v: 1, type: 'leave' })],
    ['closing the socket', (client) => client.close()],
    ['dropping the connection', (client) => client.terminate()],
  ]) {
    it(`tells the other member when one leaves by ${how}, and frees the seat`, async () => {
      const room = `r-${how.replaceAll(' ', '-')}`;
      const alice = await joined(server.url, room, 'alice');
      const bob = await joined(server.url, room, 'bob');
      void leave(bob);
      assert.deepEqual(await alice.next('peer-left'), { v: 1, type: 'peer-left', peer: 'bob' });

      const carol = await joined(server.url, room, 'carol');
      await alice.next((frame) => frame.type === 'peer-joined' && frame.peer.id === 'carol');
      await Promise.all([alice.close(), carol.close(), bob.isOpen ? bob.close() : undefined]);
    });
  }

  it('lets a socket that left join again, and forgets it could signal', async () => {
    const alice = await joined(server.url, 'r-again', 'alice');
    const bob = await joined(server.url, 'r-again', 'bob');
    bob.send({ v: 1, type: 'leave' });
    await alice.next('peer-left');
    bob.send({ v: 1, type: 'signal', to: 'alice', id: '1', payload: OFFER });
    assert.equal((await bob.next('error')).code, 'not-joined');
    assert.equal((await bob.join('r-again', 'bob')).type, 'joined');
    await Promise.all([alice.close(), bob.close()]);
  });

  it('a leave before any join is harmless', async () => {
    const client = await connect(server.url);
    client.send({ v: 1, type: 'leave' });
    assert.equal((await client.join('r-leave-first', 'p')).type, 'joined');
    await client.close();
  });

  it('deletes empty rooms and counts connections', async () => {
    const clients = [];
    for (let i = 0; i < 3; i += 1) {
      clients.push(await joined(server.url, `r-count-${i}`, 'a'), await joined(server.url, `r-count-${i}`, 'b'));
    }
    assert.ok(server.stats().rooms >= 3);
    await Promise.all(clients.map((client) => client.close()));
    await eventually(() => server.stats().rooms === 0 && server.stats().connections === 0, 5000, 'rooms not freed');
  });
});
