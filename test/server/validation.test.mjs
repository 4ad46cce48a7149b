// Every inbound frame is validated; a bad one gets a typed error frame and the socket and server stay up.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OFFER, connect, joined, startServer } from './helpers.mjs';

describe('frame validation', () => {
  let server;
  before(async () => {
    ({ server } = await startServer());
  });
  after(() => server.close());

  /** Sends a bad frame, expects an error with `code`, then proves the same socket still works. */
  async function expectRejected(frame, code) {
    const client = await connect(server.url);
    client.send(frame);
    const error = await client.next('error');
    assert.equal(error.v, 1);
    assert.equal(error.code, code, `frame ${JSON.stringify(frame).slice(0, 80)} -> ${JSON.stringify(error)}`);
    assert.equal(typeof error.message, 'string');
    assert.ok(client.isOpen, 'the socket stays open after a bad frame');
    const after = await client.join(`still-up-${Math.random().toString(36).slice(2)}`, 'p');
    assert.equal(after.type, 'joined');
    await client.close();
  }

  it('answers text that is not JSON with bad-json', () => expectRejected('{"v":1,"type":', 'bad-json'));
  it('answers an empty frame with bad-json', () => expectRejected('', 'bad-json'));
  it('answers a JSON scalar with unknown-type', () => expectRejected('42', 'unknown-type'));
  it('answers null with unknown-type', () => expectRejected('null', 'unknown-type'));
  it('answers an unknown type with unknown-type', () => expectRejected({ v: 1, type: 'shout' }, 'unknown-type'));
  it('answers a missing type with unknown-type', () => expectRejected({ v: 1, room: 'x' }, 'unknown-type'));
  it('answers a wrong protocol version with bad-frame', () =>
    expectRejected({ v: 2, type: 'join', room: 'r', peer: 'p' }, 'bad-frame'));
  it('answers a numeric room with bad-frame', () =>
    expectRejected({ v: 1, type: 'join', room: 7, peer: 'p' }, 'bad-frame'));
  it('answers an invalid room name with bad-frame', () =>
    expectRejected({ v: 1, type: 'join', room: '../etc', peer: 'p' }, 'bad-frame'));
  it('answers an over-long peer id with bad-frame', () =>
    expectRejected({ v: 1, type: 'join', room: 'r', peer: 'p'.repeat(65) }, 'bad-frame'));
  it('answers a signal without a payload with bad-frame', () =>
    expectRejected({ v: 1, type: 'signal', to: 'x', id: '1' }, 'bad-frame'));
  it('answers a signal whose payload is a string with bad-frame', () =>
    expectRejected({ v: 1, type: 'signal', to: 'x', id: '1', payload: 'sdp' }, 'bad-frame'));
  it('answers a signal before join with not-joined', () =>
    expectRejected({ v: 1, type: 'signal', to: 'x', id: '1', payload: OFFER }, 'not-joined'));
  it('answers a binary frame with bad-frame', () => expectRejected(Buffer.from([0, 1, 2, 3]), 'bad-frame'));

  it('answers a ping with a pong, joined or not (the browser cannot see WebSocket pings)', async () => {
    const client = await connect(server.url);
    client.send({ v: 1, type: 'ping' });
    assert.deepEqual(await client.next('pong'), { v: 1, type: 'pong' });
    await client.join(`ping-${Math.random().toString(36).slice(2)}`, 'p');
    client.send({ v: 1, type: 'ping' });
    assert.deepEqual(await client.next('pong'), { v: 1, type: 'pong' });
    await client.close();
  });

  it('names the offending field in the error message', async () => {
    const client = await connect(server.url);
    client.send({ v: 1, type: 'join', room: 'r', peer: 12 });
    const error = await client.next('error');
    assert.match(error.message, /peer/);
    await client.close();
  });

  it('refuses a second join on the same socket', async () => {
    const client = await joined(server.url, 'r-twice', 'p');
    client.send({ v: 1, type: 'join', room: 'r-twice-2', peer: 'p' });
    assert.equal((await client.next('error')).code, 'already-joined');
    await client.close();
  });

  it('closes the socket on an oversized frame (1009) and keeps serving others', async () => {
    const alice = await joined(server.url, 'r-big', 'alice');
    const bob = await joined(server.url, 'r-big', 'bob');
    const big = await connect(server.url);
    big.send({ v: 1, type: 'join', room: 'r', peer: 'p', name: 'x'.repeat(70 * 1024) });
    assert.equal((await big.closed).code, 1009);
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'after-big', payload: OFFER });
    assert.equal((await bob.next('signal')).id, 'after-big');
    await Promise.all([alice.close(), bob.close()]);
  });

  it('counts rejected frames by reason', () => {
    const { rejected } = server.stats();
    for (const reason of ['bad-json', 'unknown-type', 'bad-frame', 'not-joined', 'already-joined']) {
      assert.ok(rejected[reason] >= 1, `${reason} counted: ${JSON.stringify(rejected)}`);
    }
  });
});
