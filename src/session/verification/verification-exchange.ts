/**
 * The verification code exchange of one peer connection. WebRTC's encryption proves only that the other end holds
 * the certificate named in the SDP, and the SDP travels through signaling: whoever relays it can sit in the middle
 * with certificates of its own. So both sides derive a code from the certificates DTLS uses plus a random nonce from
 * each side, and the two people compare it.
 *
 * Nonces go commit-then-reveal (as in ZRTP): each side sends a commitment first and reveals its nonce only after it
 * holds the other's. A man in the middle runs two separate exchanges and must commit on each leg before it can know
 * the honest nonce there, so it cannot grind its values until the two codes collide: one chance in a million.
 *
 * One round per set of certificates: when the fingerprints change (a renegotiation), the round is over and a new one
 * starts with new nonces; a revealed nonce never meets other fingerprints. Rounds are named on the wire by their
 * key (see verification-code.ts), so messages for a round this side has not reached yet wait for it.
 */
import { ErrorCode, P2PCallError } from '../../errors.js';
import type { FingerprintSource } from './dtls-fingerprints.js';
import { commitment, freshNonce, roundKey, verificationCode, type Fingerprints } from './verification-code.js';

export type VerificationMessage =
  { t: 'verify-commit'; key: string; commit: string } | { t: 'verify-reveal'; key: string; nonce: string };

export interface VerificationResult {
  /** Six digits, shown as "123 456". */
  code: string;
  fingerprints: Fingerprints;
}

export interface VerificationCallbacks {
  post(message: VerificationMessage): void;
  /** A round completed: the code to show. */
  result(result: VerificationResult): void;
  /** The certificates changed: the code shown so far no longer stands for this connection. */
  reset(): void;
  error(error: P2PCallError): void;
}

/**
 * Rounds one connection may run. Browsers keep their certificates for a connection's life, so more than a couple
 * of changes means something rewrites them, and each extra round would be one more chance for a colliding code.
 */
export const MAX_ROUNDS = 4;

interface Round {
  key: string;
  fingerprints: Fingerprints;
  nonce: string;
  committed: boolean;
  revealed: boolean;
  remoteCommit?: string;
  remoteNonce?: string;
}

export class VerificationExchange {
  #round?: Round;
  #rounds = 0;
  /** Messages for rounds this side has not reached yet, by round key (at most two rounds are held). */
  readonly #early = new Map<string, VerificationMessage[]>();
  #started = false;
  #closed = false;
  #unsubscribe?: () => void;
  /** Every step runs after the previous one: hashing is asynchronous, and order decides what is revealed when. */
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: FingerprintSource,
    private readonly callbacks: VerificationCallbacks,
  ) {}

  /** Starts the first round once the connection is up (its data channel open); later changes start new ones. */
  start(): Promise<void> {
    if (this.#started || this.#closed) return this.#queue;
    this.#started = true;
    this.#unsubscribe = this.source.subscribe(() => void this.#enqueue(() => this.#refresh()));
    return this.#enqueue(() => this.#refresh());
  }

  handle(message: VerificationMessage): Promise<void> {
    return this.#enqueue(() => this.#handle(message));
  }

  /** Resolves once every step queued so far has run. */
  get idle(): Promise<void> {
    return this.#queue;
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#early.clear();
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(() => (this.#closed ? undefined : step()));
    return this.#queue;
  }

  /** Reads the certificates; a new set ends the current round and starts the next one. */
  async #refresh(): Promise<void> {
    const fingerprints = await this.source.read();
    if (!fingerprints || this.#closed) return;
    const key = await roundKey(fingerprints);
    if (this.#closed || key === this.#round?.key) return;
    if (this.#round) this.callbacks.reset();
    if (this.#rounds >= MAX_ROUNDS) {
      this.#round = undefined;
      this.close();
      this.callbacks.error(
        new P2PCallError(
          ErrorCode.VerificationFailed,
          'The connection’s certificates keep changing: it cannot be verified.',
          true,
        ),
      );
      return;
    }
    this.#rounds += 1;
    const round: Round = { key, fingerprints, nonce: freshNonce(), committed: false, revealed: false };
    this.#round = round;
    const commit = await commitment(fingerprints, round.nonce);
    if (this.#closed || this.#round !== round) return;
    this.callbacks.post({ t: 'verify-commit', key, commit });
    round.committed = true;
    const early = this.#early.get(key) ?? [];
    this.#early.delete(key);
    for (const message of early) await this.#handle(message);
    this.#maybeReveal(round);
  }

  async #handle(message: VerificationMessage): Promise<void> {
    const round = this.#round;
    if (!round?.committed || message.key !== round.key) {
      this.#holdEarly(message);
      // The other side may have seen new certificates first: look again.
      if (this.#started && message.key !== round?.key) await this.#refresh();
      return;
    }
    if (message.t === 'verify-commit') {
      if (round.remoteCommit) return; // one commitment per round; a second one is ignored
      round.remoteCommit = message.commit;
      this.#maybeReveal(round);
      return;
    }
    if (!round.remoteCommit || round.remoteNonce) return; // a reveal before a commitment proves nothing
    if ((await commitment(round.fingerprints, message.nonce)) !== round.remoteCommit) {
      this.callbacks.error(
        new P2PCallError(
          ErrorCode.VerificationFailed,
          'The other side’s verification data did not match its commitment.',
          true,
        ),
      );
      return;
    }
    round.remoteNonce = message.nonce;
    const code = await verificationCode(round.fingerprints, [round.nonce, message.nonce]);
    if (this.#closed || this.#round !== round) return;
    this.callbacks.result({ code, fingerprints: round.fingerprints });
  }

  #holdEarly(message: VerificationMessage): void {
    const held = this.#early.get(message.key) ?? [];
    if (held.length >= 2) return; // a commitment and a reveal is all a round can use
    this.#early.set(message.key, [...held, message]);
    while (this.#early.size > 2) this.#early.delete(this.#early.keys().next().value!);
  }

  #maybeReveal(round: Round): void {
    if (!round.committed || !round.remoteCommit || round.revealed) return;
    round.revealed = true;
    this.callbacks.post({ t: 'verify-reveal', key: round.key, nonce: round.nonce });
  }
}
