// The rules of the two data-channel protocols, one table row per rule: what a peer may send, and what is dropped.
import { expect } from 'chai';
import { describe, it } from 'node:test';
import { parseFileMessage } from '../../../src/session/file-transfer/file-messages.js';
import { appDataFrame } from '../../../src/session/peer-channel.js';
import { MAX_CHAT_LENGTH, MAX_MESSAGE_BYTES, parsePeerMessage } from '../../../src/session/peer-messages.js';

const h64 = 'ab'.repeat(32);
const h32 = 'cd'.repeat(16);
const json = (value: unknown) => JSON.stringify(value);

describe('peer messages (main data channel)', () => {
  const good: Array<[string, unknown, unknown?]> = [
    ['media', { t: 'media', muted: true, cameraOff: false, stream: 'cam-1' }],
    ['media with no camera stream', { t: 'media', muted: false, cameraOff: true, stream: '' }],
    ['share', { t: 'share', stream: 's'.repeat(128), active: true }],
    ['data: any JSON value', { t: 'data', data: { nested: [1, 'x', null] } }],
    ['data: null', { t: 'data', data: null }],
    ['chat of one character', { t: 'chat', text: 'x' }],
    ['chat at the limit', { t: 'chat', text: 'x'.repeat(MAX_CHAT_LENGTH) }],
    ['verify-commit', { t: 'verify-commit', key: h32, commit: h64 }],
    ['verify-reveal', { t: 'verify-reveal', key: h32, nonce: h64 }],
    ['verified', { t: 'verified', code: '123 456' }],
    ['bye', { t: 'bye' }],
    ['extra fields are dropped', { t: 'bye', extra: 1 }, { t: 'bye' }],
    [
      'extra fields are dropped (media)',
      { t: 'media', muted: true, cameraOff: true, stream: '', x: 1 },
      { t: 'media', muted: true, cameraOff: true, stream: '' },
    ],
  ];
  for (const [rule, message, expected] of good) {
    it(`accepts ${rule}`, () => void expect(parsePeerMessage(json(message))).to.deep.equal(expected ?? message));
  }

  const bad: Array<[string, string]> = [
    ['text that is not JSON', '{t:'],
    ['a non-object', '"bye"'],
    ['null', 'null'],
    ['an unknown kind', json({ t: 'hello' })],
    ['no kind', json({ muted: true })],
    ['media with a non-boolean muted', json({ t: 'media', muted: 'yes', cameraOff: false, stream: '' })],
    ['media without cameraOff', json({ t: 'media', muted: true, stream: '' })],
    ['media with an overlong stream id', json({ t: 'media', muted: true, cameraOff: false, stream: 's'.repeat(129) })],
    ['share without active', json({ t: 'share', stream: 's' })],
    ['share with a numeric stream id', json({ t: 'share', stream: 1, active: true })],
    ['data without data', json({ t: 'data' })],
    ['an empty chat line', json({ t: 'chat', text: '' })],
    ['an overlong chat line', json({ t: 'chat', text: 'x'.repeat(MAX_CHAT_LENGTH + 1) })],
    ['a numeric chat line', json({ t: 'chat', text: 5 })],
    ['a short commitment', json({ t: 'verify-commit', key: h32, commit: 'ab' })],
    ['a commitment without a round key', json({ t: 'verify-commit', commit: h64 })],
    ['a reveal with a short round key', json({ t: 'verify-reveal', key: 'ab', nonce: h64 })],
    ['an uppercase nonce', json({ t: 'verify-reveal', key: h32, nonce: h64.toUpperCase() })],
    ['a nonce with a line break after it', json({ t: 'verify-reveal', key: h32, nonce: `${h64}\n` })],
    ['an overlong verified code', json({ t: 'verified', code: 'x'.repeat(17) })],
    ['verified without a code', json({ t: 'verified' })],
  ];
  for (const [rule, text] of bad) {
    it(`drops ${rule}`, () => void expect(parsePeerMessage(text)).to.equal(undefined));
  }
});

describe('file-transfer messages (file channel)', () => {
  const offer = { t: 'offer', id: 'f1', seq: 0, name: 'a.txt', size: 10, type: 'text/plain' };
  const good: Array<[string, unknown, unknown?]> = [
    ['an offer', offer],
    ['an offer of an empty file with no name or type', { ...offer, name: '', size: 0, type: '' }],
    ['the largest chunk number', { ...offer, seq: 0xffffffff }],
    ['a size above 4 GiB', { ...offer, size: 2 ** 40 }],
    ['names and types at the limit', { ...offer, name: 'n'.repeat(255), type: 't'.repeat(255) }],
    ['accept', { t: 'accept', id: 'f1' }],
    ['reject: refused', { t: 'reject', id: 'f1', reason: 'refused' }],
    ['reject: too large', { t: 'reject', id: 'f1', reason: 'too-large' }],
    ['reject: busy', { t: 'reject', id: 'f1', reason: 'busy' }],
    ['cancel', { t: 'cancel', id: 'x'.repeat(64) }],
    ['end with a digest', { t: 'end', id: 'f1', digest: h64 }],
    ['done', { t: 'done', id: 'f1' }],
    ['corrupt', { t: 'corrupt', id: 'f1' }],
    ['extra fields are dropped', { t: 'done', id: 'f1', seq: 5 }, { t: 'done', id: 'f1' }],
  ];
  for (const [rule, message, expected] of good) {
    it(`accepts ${rule}`, () => void expect(parseFileMessage(json(message))).to.deep.equal(expected ?? message));
  }

  const bad: Array<[string, unknown]> = [
    ['an unknown kind', { t: 'pause', id: 'f1' }],
    ['a message without an id', { t: 'accept' }],
    ['an empty id', { t: 'accept', id: '' }],
    ['an overlong id', { t: 'cancel', id: 'x'.repeat(65) }],
    ['a numeric id', { t: 'done', id: 1 }],
    ['a negative chunk number', { ...offer, seq: -1 }],
    ['a chunk number past 32 bits', { ...offer, seq: 2 ** 32 }],
    ['a fractional chunk number', { ...offer, seq: 1.5 }],
    ['a negative size', { ...offer, size: -1 }],
    ['a fractional size', { ...offer, size: 0.5 }],
    ['a size given as text', { ...offer, size: '10' }],
    ['an overlong name', { ...offer, name: 'n'.repeat(256) }],
    ['an overlong type', { ...offer, type: 't'.repeat(256) }],
    ['an offer without a type', { t: 'offer', id: 'f1', seq: 0, name: 'a', size: 1 }],
    ['an unknown reject reason', { t: 'reject', id: 'f1', reason: 'bored' }],
    ['end without a digest', { t: 'end', id: 'f1' }],
    ['end with a short digest', { t: 'end', id: 'f1', digest: 'abc' }],
    ['an array', [offer]],
  ];
  for (const [rule, message] of bad) {
    it(`drops ${rule}`, () => void expect(parseFileMessage(json(message))).to.equal(undefined));
  }
  it('drops text that is not JSON', () => void expect(parseFileMessage('{"t":')).to.equal(undefined));
});

describe('app data frames (send)', () => {
  /** The JSON frame's overhead around a string: {"t":"data","data":"..."}. */
  const overhead = JSON.stringify({ t: 'data', data: '' }).length;

  it('takes a message up to 64 KiB on the wire, counted in UTF-8 bytes', () => {
    expect(appDataFrame('a'.repeat(MAX_MESSAGE_BYTES - overhead))).to.have.length(MAX_MESSAGE_BYTES);
    // 30,000 characters of three bytes each: 90,000 bytes, though far fewer than 64 Ki characters.
    expect(() => appDataFrame('€'.repeat(30_000)))
      .to.throw()
      .with.property('code', 'message-too-large');
    expect(() => appDataFrame('€'.repeat(30_000))).to.throw(/got 90\d{3}\)/);
    expect(appDataFrame('€'.repeat(20_000))).to.be.a('string', '60,000 bytes fit');
    expect(() => appDataFrame(new Uint8Array(MAX_MESSAGE_BYTES + 1)))
      .to.throw()
      .with.property('code', 'message-too-large');
  });
});
