import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FingerprintSource } from '../../../src/session/verification/dtls-fingerprints.js';
import { commitment, type Fingerprints } from '../../../src/session/verification/verification-code.js';
import {
  MAX_ROUNDS,
  VerificationExchange,
  type VerificationMessage,
  type VerificationResult,
} from '../../../src/session/verification/verification-exchange.js';

const fp = (byte: string) => `sha-256 ${Array(32).fill(byte).join(':')}`;

/** What one side's connection says about the certificates; the test changes it as a renegotiation would. */
class FakeCertificates implements FingerprintSource {
  #listeners = new Set<() => void>();
  constructor(public current: Fingerprints | undefined) {}
  async read() {
    return this.current;
  }
  subscribe(listener: () => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  change(next: Fingerprints) {
    this.current = next;
    for (const listener of this.#listeners) listener();
  }
}

/** One side: its exchange, and everything it posted and reported. */
function side(certificates: FakeCertificates) {
  const sent: VerificationMessage[] = [];
  const results: VerificationResult[] = [];
  const errors: string[] = [];
  let resets = 0;
  let deliver: (message: VerificationMessage) => void = () => {};
  const exchange = new VerificationExchange(certificates, {
    post: (message) => {
      sent.push(message);
      deliver(message);
    },
    result: (result) => results.push(result),
    reset: () => (resets += 1),
    error: (error) => errors.push(error.code),
  });
  everyExchange.add(exchange);
  return {
    exchange,
    certificates,
    sent,
    results,
    errors,
    get resets() {
      return resets;
    },
    sendTo(handle: (message: VerificationMessage) => Promise<void>) {
      deliver = (message) => void handle(message);
    },
  };
}

const everyExchange = new Set<VerificationExchange>();

/** Waits until no exchange has a step left: each step may queue more on the other side, so look until none moved. */
async function settle(): Promise<void> {
  for (;;) {
    const queues = [...everyExchange].map((exchange) => exchange.idle);
    await Promise.all(queues);
    await new Promise((resolve) => setImmediate(resolve));
    if ([...everyExchange].every((exchange, index) => exchange.idle === queues[index])) return;
  }
}

function honestPair(alice: Fingerprints = { local: [fp('aa')], remote: [fp('bb')] }) {
  const a = side(new FakeCertificates(alice));
  const b = side(new FakeCertificates({ local: alice.remote, remote: alice.local }));
  a.sendTo((message) => b.exchange.handle(message));
  b.sendTo((message) => a.exchange.handle(message));
  return { a, b };
}

const reveals = (messages: VerificationMessage[]) =>
  messages.filter((m): m is Extract<VerificationMessage, { t: 'verify-reveal' }> => m.t === 'verify-reveal');

describe('VerificationExchange', () => {
  it('gives two honest sides the same six-digit code, whoever starts first', async () => {
    const { a, b } = honestPair();
    void b.exchange.start();
    await settle();
    void a.exchange.start();
    await settle();
    assert.equal(a.results.length, 1);
    assert.match(a.results[0].code, /^\d{3} \d{3}$/u);
    assert.equal(a.results[0].code, b.results[0].code);
    assert.deepEqual(a.results[0].fingerprints, { local: [fp('aa')], remote: [fp('bb')] });
  });

  it('reveals only after holding the other side’s commitment', async () => {
    const { a } = honestPair();
    a.sendTo(async () => {}); // the other side never answers
    await a.exchange.start();
    assert.deepEqual(
      a.sent.map((m) => m.t),
      ['verify-commit'],
    );
  });

  it('a change of certificates after the reveal starts a new round with new nonces, never a recomputation', async () => {
    const { a, b } = honestPair();
    void a.exchange.start();
    void b.exchange.start();
    await settle();
    const [first] = a.results;
    const firstNonce = reveals(a.sent)[0].nonce;

    // A renegotiation on both sides brings one more certificate for B.
    const next = { local: [fp('aa')], remote: [fp('bb'), fp('cc')].sort() };
    a.certificates.change(next);
    b.certificates.change({ local: next.remote, remote: next.local });
    await settle();

    assert.equal(a.resets, 1);
    const commits = a.sent.filter((m) => m.t === 'verify-commit');
    assert.equal(commits.length, 2);
    assert.notEqual(commits[1].key, commits[0].key);
    const [, second] = reveals(a.sent);
    assert.ok(second, 'a second reveal');
    assert.notEqual(second.nonce, firstNonce);
    assert.equal(a.results.length, 2);
    assert.equal(a.results[1].code, b.results[1].code);
    assert.deepEqual(a.results[1].fingerprints, next);
    assert.notEqual(a.results[1].code, first.code);
  });

  it('an attacker who changes its certificate after the reveal gets no code from the old nonces', async () => {
    // Alice talks to the attacker's leg; the attacker knows Alice's first nonce once the round is done.
    const alice = side(new FakeCertificates({ local: [fp('aa')], remote: [fp('ee')] }));
    const attacker = side(new FakeCertificates({ local: [fp('ee')], remote: [fp('aa')] }));
    alice.sendTo((message) => attacker.exchange.handle(message));
    attacker.sendTo((message) => alice.exchange.handle(message));
    void alice.exchange.start();
    void attacker.exchange.start();
    await settle();
    assert.equal(alice.results.length, 1);

    // It renegotiates with a fingerprint line of its choosing, and replays its own old reveal under the new key.
    attacker.sendTo(async () => {});
    alice.certificates.change({ local: [fp('aa')], remote: [fp('ee'), fp('ff')].sort() });
    await settle();
    const newKey = alice.sent.filter((m) => m.t === 'verify-commit')[1].key;
    const oldReveal = reveals(attacker.sent)[0];
    await alice.exchange.handle({ t: 'verify-reveal', key: newKey, nonce: oldReveal.nonce });
    assert.equal(alice.results.length, 1, 'no code without a fresh commitment and reveal');
    assert.equal(alice.resets, 1, 'the old code was withdrawn');
    // Alice's own nonce is not revealed again before the attacker commits anew.
    assert.equal(reveals(alice.sent).length, 1);
  });

  it('rejects a reveal that does not match the commitment, and a commitment made for other certificates', async () => {
    const mine = { local: [fp('aa')], remote: [fp('bb')] };
    const a = side(new FakeCertificates(mine));
    a.sendTo(async () => {});
    await a.exchange.start();
    const { key } = a.sent[0];
    // The peer's commitment names certificates other than the ones DTLS uses here.
    const nonce = 'ab'.repeat(32);
    const forCertificates = await commitment({ local: [fp('bb')], remote: [fp('99')] }, nonce);
    await a.exchange.handle({ t: 'verify-commit', key, commit: forCertificates });
    await a.exchange.handle({ t: 'verify-reveal', key, nonce });
    assert.deepEqual(a.errors, ['verification-failed']);
    assert.equal(a.results.length, 0);
  });

  it('holds messages for a round this side has not reached yet', async () => {
    const { a, b } = honestPair();
    // B's certificates are known before A's connection reports any.
    a.certificates.current = undefined;
    void a.exchange.start();
    void b.exchange.start();
    await settle();
    assert.equal(a.results.length, 0);
    a.certificates.change({ local: [fp('aa')], remote: [fp('bb')] });
    await settle();
    assert.equal(a.results.length, 1);
    assert.equal(a.results[0].code, b.results[0].code);
  });

  it(`stops after ${MAX_ROUNDS} rounds: certificates that keep changing cannot be verified`, async () => {
    const { a, b } = honestPair();
    void a.exchange.start();
    void b.exchange.start();
    await settle();
    for (let round = 1; round <= MAX_ROUNDS; round += 1) {
      const remote = [fp(`${round}${round}`)];
      a.certificates.change({ local: [fp('aa')], remote });
      b.certificates.change({ local: remote, remote: [fp('aa')] });
      await settle();
    }
    assert.deepEqual(a.errors, ['verification-failed']);
    assert.equal(a.results.length, MAX_ROUNDS);
  });

  it('does nothing after close()', async () => {
    const { a, b } = honestPair();
    a.exchange.close();
    void a.exchange.start();
    void b.exchange.start();
    await settle();
    assert.equal(a.sent.length, 0);
    assert.equal(a.results.length, 0);
  });
});
