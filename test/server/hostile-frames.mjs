// Hostile frame generators for the fuzz test. Seeded, so a failing run can be replayed with FUZZ_SEED.

/** mulberry32: a tiny seeded PRNG; plenty for choosing frame shapes. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max) => Math.floor(next() * max);
  const pick = (items) => items[int(items.length)];
  return { next, int, pick };
}

const ALPHABET = 'abcXYZ019 {}[]":,\\\u0000\u00e9\u4e2d\ud83d\ude00\ud800\ufffd\n\t';

function randomString(random, max) {
  let text = '';
  const length = random.int(max);
  for (let i = 0; i < length; i += 1) text += ALPHABET[random.int(ALPHABET.length)];
  return text;
}

function randomValue(random, depth = 0) {
  switch (random.int(depth > 2 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return random.next() < 0.5;
    case 2:
      return random.pick([0, -1, 1.5, 1e308, -1e-308, Number.MAX_SAFE_INTEGER + 2]);
    case 3:
      return randomString(random, 40);
    case 4:
      return 'x'.repeat(random.int(5000));
    case 5:
      return random.pick(['join', 'signal', 'leave', '__proto__', 'constructor', '', '1']);
    case 6:
      return Array.from({ length: random.int(5) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: random.int(5) }, () => [randomString(random, 8), randomValue(random, depth + 1)]),
      );
  }
}

function nested(depth, open, close, inner = '1') {
  return open.repeat(depth) + inner + close.repeat(depth);
}

/**
 * Every kind of frame a hostile or broken client might send, with a weight. `ctx` names the worker's own room,
 * seat and room partner, so some frames are well-formed and reach the relay with hostile contents.
 */
export const GENERATORS = [
  ['garbage-text', 10, (r) => randomString(r, 200)],
  [
    'truncated-json',
    8,
    (r, ctx) => {
      const text = JSON.stringify({
        v: 1,
        type: 'signal',
        to: ctx.partner,
        id: 'm',
        payload: { type: 'offer', sdp: 'v=0' },
      });
      return text.slice(0, r.int(text.length));
    },
  ],
  ['json-scalar', 4, (r) => r.pick(['1', '"x"', 'true', 'null', '[]', '{}', '1e400', '-0', '""', '[[[]]]'])],
  ['random-json', 10, (r) => JSON.stringify(randomValue(r))],
  ['deep-array', 0.3, (r) => nested(1000 + r.int(30_000), '[', ']', '')],
  ['deep-object', 0.3, (r) => nested(500 + r.int(10_000), '{"a":', '}')],
  [
    'deep-payload',
    0.3,
    (r, ctx) => {
      const deep = nested(100 + r.int(9000), '{"a":', '}');
      return `{"v":1,"type":"signal","to":"${ctx.partner}","id":"deep","payload":{"type":"offer","x":${deep}}}`;
    },
  ],
  [
    'wrong-types',
    14,
    (r, ctx) => {
      const frame = r.pick([
        { v: 1, type: 'join', room: ctx.room, peer: ctx.self, name: 'n' },
        { v: 1, type: 'signal', to: ctx.partner, id: 'm1', payload: { type: 'offer', sdp: 'v=0' } },
        { v: 1, type: 'leave' },
      ]);
      const key = r.pick(Object.keys(frame));
      frame[key] = randomValue(r);
      return JSON.stringify(frame);
    },
  ],
  ['unknown-type', 5, (r) => JSON.stringify({ v: 1, type: randomString(r, 12) || 'x', room: 'r' })],
  [
    'unknown-target',
    8,
    (r) =>
      JSON.stringify({
        v: 1,
        type: 'signal',
        to: r.pick(['ghost', 'alice', 'bob', '__proto__', 'x'.repeat(64)]),
        id: 'm',
        payload: { type: 'offer' },
      }),
  ],
  [
    'valid-signal',
    10,
    (r, ctx) =>
      JSON.stringify({
        v: 1,
        type: 'signal',
        to: ctx.partner,
        id: String(r.int(1e9)),
        payload: { type: 'candidate', junk: randomValue(r) },
      }),
  ],
  ['join-self', 4, (_r, ctx) => JSON.stringify({ v: 1, type: 'join', room: ctx.room, peer: ctx.self, name: 'fuzz' })],
  ['leave', 4, () => '{"v":1,"type":"leave"}'],
  [
    'extra-fields',
    4,
    (r, ctx) =>
      JSON.stringify({
        v: 1,
        type: 'signal',
        to: ctx.partner,
        id: 'e',
        from: 'alice',
        payload: { type: 'offer' },
        ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, randomValue(r)])),
      }),
  ],
  [
    'prototype-pollution',
    3,
    (r, ctx) =>
      r.pick([
        '{"__proto__":{"polluted":true},"v":1,"type":"leave"}',
        `{"v":1,"type":"signal","to":"${ctx.partner}","id":"p","payload":{"type":"x","__proto__":{"polluted":true}}}`,
        '{"constructor":{"prototype":{"polluted":true}},"v":1,"type":"signal","to":"x","id":"p","payload":{"type":"x"}}',
      ]),
  ],
  [
    'lone-surrogates',
    3,
    (_r, ctx) => JSON.stringify({ v: 1, type: 'join', room: ctx.room, peer: ctx.self, name: '\ud800\udfff\ud800' }),
  ],
  ['binary', 3, (r) => ({ data: Buffer.from(randomString(r, 100)), binary: true })],
  ['invalid-utf8', 0.1, () => ({ data: Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]), binary: false })],
  ['oversized', 0.1, () => `{"v":1,"type":"leave","pad":"${'x'.repeat(64 * 1024)}"}`],
  [
    'join-foreign',
    0.15,
    (r, ctx) =>
      JSON.stringify({ v: 1, type: 'join', room: r.pick([ctx.room, 'honest']), peer: 'bob', name: 'mallory' }),
  ],
];

/** Kinds after which the server closes the socket: the sender waits for the close before going on. */
export const CLOSING_KINDS = new Set(['invalid-utf8', 'oversized', 'join-foreign']);

/** The server's default `maxPayload`: a longer frame of any kind (extra-fields, random-json) is closed with 1009. */
export const MAX_PAYLOAD = 64 * 1024;

const byteLength = (data) => (typeof data === 'string' ? Buffer.byteLength(data) : data.length);

/**
 * Picks a generator by weight and returns { kind, data, binary, closes }. `closes` says the server will close the
 * socket on this frame, and stop reading it: frames written after it would be lost, so the sender waits instead.
 */
export function hostileFrame(random, ctx) {
  const total = GENERATORS.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random.next() * total;
  for (const [kind, weight, make] of GENERATORS) {
    roll -= weight;
    if (roll > 0) continue;
    const made = make(random, ctx);
    const frame = typeof made === 'string' ? { kind, data: made, binary: false } : { kind, ...made };
    return { ...frame, closes: CLOSING_KINDS.has(kind) || byteLength(frame.data) > MAX_PAYLOAD };
  }
  return { kind: 'leave', data: '{"v":1,"type":"leave"}', binary: false, closes: false };
}
