// The browser checks signaling frames with small hand-written parsers; the server with valibot schemas. Both must
// accept exactly the same frames and read them the same way: this runs both over thousands of good and bad frames.
import { expect } from 'chai';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { ClientFrameSchema, RelayedRoomMessageSchema, ServerFrameSchema } from '../../../server/protocol-schemas.js';
import { parseIceServers, parseRelayedRoomMessage, parseServerFrame } from '../../../src/signaling/protocol.js';
import { iceServersConverter } from '../../../src/element/attribute-converters.js';
import { messageCorpus } from '../../support/message-corpus.js';

const payload = { type: 'offer', sdp: 'v=0' };

/** `wrap` puts each corpus value where it goes (e.g. inside a list) before both sides read it. */
function compare(
  schema: v.GenericSchema,
  parse: (value: unknown) => unknown,
  samples: Record<string, unknown>[],
  wrap = (value: unknown) => value,
) {
  let accepted = 0;
  let total = 0;
  for (const item of messageCorpus(samples)) {
    const input = wrap(item);
    const expected = v.safeParse(schema, input);
    const actual = parse(input);
    total += 1;
    if (expected.success) accepted += 1;
    expect(actual, JSON.stringify(input)).to.deep.equal(expected.success ? expected.output : undefined);
  }
  // The corpus is only worth something if it holds both kinds.
  expect(accepted).to.be.above(100);
  expect(total - accepted).to.be.above(100);
}

describe('protocol checks: browser parsers agree with the server schemas', () => {
  it('server -> browser frames', () => {
    compare(ServerFrameSchema, parseServerFrame, [
      {
        v: 1,
        type: 'joined',
        room: 'r',
        self: 'a',
        peers: [{ id: 'b', name: 'B' }],
        iceServers: [{ urls: 'turn:x', username: 'u', credential: 'c' }],
      },
      { v: 1, type: 'joined', room: 'room.1:x', self: 'a', peers: [] },
      { v: 1, type: 'peer-joined', peer: { id: 'b' } },
      { v: 1, type: 'peer-left', peer: 'b' },
      { v: 1, type: 'signal', from: 'b', id: 'm1', payload },
      { v: 1, type: 'error', code: 'room-full', message: 'full' },
    ]);
  });

  it('shared-channel envelopes (BroadcastChannel, CallbackSignaling)', () => {
    compare(RelayedRoomMessageSchema, parseRelayedRoomMessage, [
      { v: 1, type: 'hello', room: 'r', from: 'a', name: 'A' },
      { v: 1, type: 'here', room: 'r', from: 'a', to: 'b' },
      { v: 1, type: 'full', room: 'r', from: 'a', to: 'b' },
      { v: 1, type: 'bye', room: 'r', from: 'a' },
      { v: 1, type: 'signal', room: 'r', from: 'a', to: 'b', id: 'm', payload },
    ]);
  });

  it('ICE server lists (the joined frame and the ice-servers attribute)', () => {
    const schema = v.array(
      v.object({
        urls: v.union([v.string(), v.array(v.string())]),
        username: v.optional(v.string()),
        credential: v.optional(v.string()),
      }),
    );
    const samples = [{ urls: 'stun:x' }, { urls: ['turn:a', 'turn:b'], username: 'u', credential: 'c' }];
    compare(schema, parseIceServers, samples, (server) => [server]);
    compare(schema, parseIceServers, samples, (server) => [{ urls: 'stun:y' }, server]);
    expect(parseIceServers('stun:x')).to.equal(undefined);
    expect(iceServersConverter.fromAttribute!('[{"urls":"stun:x","extra":1}]', undefined)).to.deep.equal([
      { urls: 'stun:x' },
    ]);
    expect(iceServersConverter.fromAttribute!('[{"urls":5}]', undefined)).to.equal(null);
    expect(iceServersConverter.fromAttribute!('not json', undefined)).to.equal(null);
    expect(iceServersConverter.fromAttribute!(' ', undefined)).to.deep.equal([]);
  });

  it('keeps a signal payload opaque but never lets it name a prototype', () => {
    const frame = parseServerFrame(
      JSON.parse(
        '{"v":1,"type":"signal","from":"b","id":"m","payload":{"type":"x","a":[1],"__proto__":{"polluted":1},"constructor":1}}',
      ),
    );
    expect(frame).to.deep.equal({ v: 1, type: 'signal', from: 'b', id: 'm', payload: { type: 'x', a: [1] } });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('the server schema of client frames still reads what the browser sends', () => {
    expect(v.safeParse(ClientFrameSchema, { v: 1, type: 'join', room: 'r', peer: 'a' }).output).to.deep.equal({
      v: 1,
      type: 'join',
      room: 'r',
      peer: 'a',
      name: '',
    });
    expect(v.safeParse(ClientFrameSchema, { v: 1, type: 'signal', to: 'b', id: 'm', payload }).success).to.equal(true);
  });
});
