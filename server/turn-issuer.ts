/**
 * Who gets TURN credentials, and how often. A credential lets its holder relay traffic through the operator's TURN
 * server for an hour, so it goes only to seats taken with a join token (tokenless open-mode seats only when the
 * operator opted in), and each subject may mint only a few at once: a loop of joins and leaves cannot collect a
 * pile of credentials. The subject is the token's `sub`; for a tokenless seat, the client address.
 *
 * Over the limit, a subject is handed the credential it was minted last (for the same participant, while it still
 * has a minute to live) instead of nothing, so someone whose connection keeps dropping keeps a working relay
 * without a new credential being minted for each reconnect.
 */
import type { TurnConfig } from './config.js';
import { mintTurnCredentials, type TurnIceServer } from './turn-credentials.js';

export const TurnOutcome = {
  Minted: 'minted',
  Reused: 'reused',
  RateLimited: 'rate-limited',
  NoToken: 'no-token',
} as const;
export type TurnOutcome = (typeof TurnOutcome)[keyof typeof TurnOutcome];

export interface TurnSeat {
  participant: string;
  /** The seat was taken with a join token (its subject is `participant`). */
  bound: boolean;
  /** The client address, the subject of a tokenless seat. */
  address: string;
}

interface Subject {
  tokens: number;
  updated: number;
  last?: { participant: string; server: TurnIceServer; expiresAt: number };
}

/** A reused credential must live at least this much longer, or the seat gets none. */
const REUSE_MARGIN_MS = 60_000;
/** Subjects remembered at most; past this, new subjects get no credential until the table is swept. */
const MAX_SUBJECTS = 100_000;
const SWEEP_INTERVAL_MS = 60_000;

export class TurnIssuer {
  readonly #subjects = new Map<string, Subject>();
  #sweptAt: number;

  constructor(
    private readonly config: TurnConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.#sweptAt = now();
  }

  issue(seat: TurnSeat): { outcome: TurnOutcome; iceServer?: TurnIceServer } {
    if (!seat.bound && !this.config.openSeats) return { outcome: TurnOutcome.NoToken };
    const now = this.now();
    this.#sweep(now);
    const key = seat.bound ? `sub:${seat.participant}` : `addr:${seat.address}`;
    let subject = this.#subjects.get(key);
    if (!subject) {
      if (this.#subjects.size >= MAX_SUBJECTS) return { outcome: TurnOutcome.RateLimited };
      subject = { tokens: this.config.burst, updated: now };
      this.#subjects.set(key, subject);
    }
    this.#refill(subject, now);
    if (subject.tokens >= 1) {
      subject.tokens -= 1;
      const server = mintTurnCredentials(this.config, seat.participant, now);
      subject.last = { participant: seat.participant, server, expiresAt: now + this.config.ttlSeconds * 1000 };
      return { outcome: TurnOutcome.Minted, iceServer: server };
    }
    const { last } = subject;
    if (last && last.participant === seat.participant && last.expiresAt - now >= REUSE_MARGIN_MS) {
      return { outcome: TurnOutcome.Reused, iceServer: last.server };
    }
    return { outcome: TurnOutcome.RateLimited };
  }

  /** Subjects remembered (for tests: the table must not grow without bound). */
  get subjectCount(): number {
    return this.#subjects.size;
  }

  #refill(subject: Subject, now: number): void {
    const earned = (now - subject.updated) / (this.config.refillSeconds * 1000);
    subject.tokens = Math.min(this.config.burst, subject.tokens + earned);
    subject.updated = now;
  }

  /** Forgets subjects that are back to a full burst and hold no credential worth reusing. */
  #sweep(now: number): void {
    if (now - this.#sweptAt < SWEEP_INTERVAL_MS) return;
    this.#sweptAt = now;
    for (const [key, subject] of this.#subjects) {
      this.#refill(subject, now);
      const reusable = subject.last && subject.last.expiresAt - now >= REUSE_MARGIN_MS;
      if (subject.tokens >= this.config.burst && !reusable) this.#subjects.delete(key);
    }
  }
}
