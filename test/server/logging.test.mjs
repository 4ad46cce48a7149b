// Logs are for operators, not a record of calls: no SDP, no candidates, no tokens, no addresses, no names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CANDIDATE, OFFER, connect, joined, startServer } from './helpers.mjs';

const FORBIDDEN = [
  'v=0',
  'fingerprint',
  'ice-pwd',
  'secretIcePassword',
  'candidate',
  '192.0.2.10',
  '198.51.100.7',
  '127.0.0.1',
  '::ffff',
  'ALICE',
  'BOB',
  'not-a-real-token',
];

describe('logging', () => {
  it('never writes negotiation data, tokens, names or addresses', async () => {
    const { server, lines } = await startServer();
    const alice = await joined(server.url, 'r-log', 'alice', { token: 'not-a-real-token' });
    const bob = await joined(server.url, 'r-log', 'bob');
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    bob.send({ v: 1, type: 'signal', to: 'alice', id: 'm2', payload: CANDIDATE });
    await bob.next('signal');
    await alice.next('signal');
    // Bad frames that echo secrets back must not get them into the log either.
    const mallory = await connect(server.url);
    mallory.send(`{"sdp":"${OFFER.sdp}`);
    mallory.send({ v: 1, type: 'signal', to: 'bob', id: 'x', payload: OFFER });
    mallory.send({ v: 1, type: 'join', room: 'r-log', peer: 'carol', name: 'ALICE', token: 'not-a-real-token' });
    await mallory.next((frame) => frame.code === 'room-full');
    await Promise.all([alice.close(), bob.close(), mallory.close()]);
    await server.close();

    assert.ok(lines.length > 0, 'the server logged something');
    for (const line of lines) {
      const entry = JSON.parse(line);
      assert.equal(typeof entry.event, 'string');
      for (const word of FORBIDDEN) assert.ok(!line.includes(word), `log line leaks "${word}": ${line}`);
    }
  });
});
