/**
 * The verification code (a short authentication string, RFC 8826 section 4.3.2). WebRTC's encryption proves only
 * that the other end holds the certificate named in the SDP, and the SDP travels through signaling: whoever relays
 * it can sit in the middle with certificates of its own. Both sides therefore derive a code from BOTH DTLS
 * fingerprints they actually use plus a random nonce from each side, and the two people compare it.
 *
 * The nonces are exchanged commit-then-reveal (as ZRTP does): each side sends SHA-256(nonce) first and reveals the
 * nonce only after it holds the other's commitment. A man in the middle runs two separate exchanges, and on each
 * leg must commit to its nonce before it can know the honest side's nonce on the other leg, so it cannot grind
 * its values until the two 6-digit codes collide: its chance is one in a million per call. See SECURITY.md.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import { toHex } from './ids.js';

const LABEL = 'p2p-call verification v1';
const encoder = new TextEncoder();

/** SHA-256 of a string, by the browser's own (native, off-main-thread) implementation. */
async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

export interface VerificationResult {
  /** Six digits, shown as "123 456". */
  code: string;
  fingerprints: { local: string[]; remote: string[] };
}

/** The `a=fingerprint` lines of an SDP, normalised ("sha-256 ab:cd:…") and sorted. */
export function sdpFingerprints(sdp: string | undefined): string[] {
  const found = new Set<string>();
  for (const match of (sdp ?? '').matchAll(/^a=fingerprint:(\S+) ([0-9A-Fa-f:]+)\s*$/gmu)) {
    found.add(`${match[1].toLowerCase()} ${match[2].toLowerCase()}`);
  }
  return [...found].sort();
}

/** The code both sides compute from the same inputs, whatever their role: the sides are ordered canonically. */
export async function verificationCode(
  local: { fingerprints: string[]; nonce: string },
  remote: { fingerprints: string[]; nonce: string },
): Promise<string> {
  const sides = [local, remote]
    .map((side) => `${side.fingerprints.join(',')}|${side.nonce}`)
    .sort();
  const digest = await sha256(`${LABEL}\n${sides.join('\n')}`);
  const value = new DataView(digest.buffer, digest.byteOffset).getUint32(0) % 1_000_000;
  const digits = value.toString().padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

export type VerificationMessage = { t: 'verify-commit'; commit: string } | { t: 'verify-reveal'; nonce: string };

/** One commit-then-reveal exchange for one peer connection. */
export class VerificationExchange {
  readonly #nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
  #started = false;
  /** Our commitment is on the wire: only then may the nonce follow (the hash is async, so `started` is not enough). */
  #committed = false;
  #revealed = false;
  #remoteCommit?: string;
  #remoteNonce?: string;
  #used?: string;
  /** Bumped per computation so a slower, older one cannot overwrite a newer code. */
  #generation = 0;
  #closed = false;

  constructor(
    private readonly connection: RTCPeerConnection,
    private readonly post: (message: VerificationMessage) => void,
    private readonly onResult: (result: VerificationResult) => void,
    private readonly onError: (error: P2PCallError) => void,
  ) {
    // A renegotiation may change the certificates in use: recompute when the descriptions settle.
    connection.addEventListener('signalingstatechange', this.#handleSignalingState);
  }

  /** Sends this side's commitment (once). Called when the data channel opens. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const commit = toHex(await sha256(this.#nonce));
    if (this.#closed) return;
    this.post({ t: 'verify-commit', commit });
    this.#committed = true;
    this.#maybeReveal();
  }

  async handle(message: VerificationMessage): Promise<void> {
    if (message.t === 'verify-commit') {
      if (this.#remoteCommit) return; // one commitment per connection; a second one is ignored
      this.#remoteCommit = message.commit;
      await this.start();
      this.#maybeReveal();
      return;
    }
    if (!this.#remoteCommit || this.#remoteNonce) return; // a reveal before a commitment proves nothing
    if (toHex(await sha256(message.nonce)) !== this.#remoteCommit) {
      this.onError(
        new P2PCallError(ErrorCode.VerificationFailed, 'The other side’s verification data did not match its commitment.', true),
      );
      return;
    }
    this.#remoteNonce = message.nonce;
    await this.#compute();
  }

  close(): void {
    this.#closed = true;
    this.connection.removeEventListener('signalingstatechange', this.#handleSignalingState);
  }

  #maybeReveal(): void {
    if (!this.#committed || !this.#remoteCommit || this.#revealed) return;
    this.#revealed = true;
    this.post({ t: 'verify-reveal', nonce: this.#nonce });
  }

  #handleSignalingState = (): void => {
    if (this.connection.signalingState === 'stable' && this.#remoteNonce) void this.#compute();
  };

  async #compute(): Promise<void> {
    const local = sdpFingerprints(this.connection.localDescription?.sdp);
    const remote = sdpFingerprints(this.connection.remoteDescription?.sdp);
    if (local.length === 0 || remote.length === 0) return;
    const generation = ++this.#generation;
    const code = await verificationCode({ fingerprints: local, nonce: this.#nonce }, { fingerprints: remote, nonce: this.#remoteNonce! });
    if (generation !== this.#generation || this.#closed) return;
    const key = `${code}/${local.join()}/${remote.join()}`;
    if (key === this.#used) return;
    this.#used = key;
    this.onResult({ code, fingerprints: { local, remote } });
  }
}
