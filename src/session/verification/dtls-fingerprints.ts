/**
 * Which certificates a peer connection's DTLS actually uses, as fingerprints for the verification code.
 *
 * - Remote: where the browser exposes them (`RTCDtlsTransport.getRemoteCertificates()`, Chromium), the SHA-256 of the
 *   certificate the other end presented in the handshake. Elsewhere (Firefox), the remote description's SHA-256
 *   fingerprint lines: DTLS refuses a certificate that does not match them, so after the handshake they name it too.
 * - Local: this browser's own description's SHA-256 lines; this side wrote them, nothing on the path could.
 *
 * Only SHA-256 fingerprints count (every current browser offers one), so both sides compare like with like.
 */
import { toHex } from '../ids.js';
import type { Fingerprints } from './verification-code.js';

export interface FingerprintSource {
  /** Both sides' fingerprints; undefined until the handshake has shown both. */
  read(): Promise<Fingerprints | undefined>;
  /** Calls `listener` whenever they may have changed; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** The SHA-256 `a=fingerprint` lines of an SDP, normalised ("sha-256 ab:cd:…"), de-duplicated and sorted. */
function sdpFingerprints(sdp: string | undefined): string[] {
  const found = new Set<string>();
  for (const match of (sdp ?? '').matchAll(/^a=fingerprint:sha-256 ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31})\s*$/gmu)) {
    found.add(`sha-256 ${match[1].toLowerCase()}`);
  }
  return [...found].sort();
}

type CertificateTransport = RTCDtlsTransport & { getRemoteCertificates?: () => ArrayBuffer[] };

/** The DTLS transports of a connection (one, when everything is bundled). */
function transportsOf(connection: RTCPeerConnection): CertificateTransport[] {
  const transports = new Set<RTCDtlsTransport>();
  if (connection.sctp?.transport) transports.add(connection.sctp.transport);
  for (const sender of connection.getSenders()) if (sender.transport) transports.add(sender.transport);
  return [...transports];
}

/**
 * Fingerprints of the certificates the other end presented, or undefined where the browser does not say (then the
 * SDP's lines stand in). An empty list means the handshake has not finished.
 */
async function presentedFingerprints(connection: RTCPeerConnection): Promise<string[] | undefined> {
  const transports = transportsOf(connection);
  if (!transports.some((transport) => typeof transport.getRemoteCertificates === 'function')) return undefined;
  const found = new Set<string>();
  for (const transport of transports) {
    // The chain's first certificate is the one the handshake authenticated (WebRTC certificates are self-signed).
    const [leaf] = transport.getRemoteCertificates?.() ?? [];
    if (!leaf) continue;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', leaf));
    found.add(`sha-256 ${toHex(digest).replace(/(..)(?!$)/gu, '$1:')}`);
  }
  return [...found].sort();
}

export function connectionFingerprints(connection: RTCPeerConnection): FingerprintSource {
  return {
    async read() {
      const local = sdpFingerprints(connection.localDescription?.sdp);
      const remote = (await presentedFingerprints(connection)) ?? sdpFingerprints(connection.remoteDescription?.sdp);
      return local.length && remote.length ? { local, remote } : undefined;
    },
    subscribe(listener) {
      // A renegotiation may change the descriptions; a finished handshake makes the presented certificate readable.
      const transports = transportsOf(connection);
      connection.addEventListener('signalingstatechange', listener);
      for (const transport of transports) transport.addEventListener('statechange', listener);
      return () => {
        connection.removeEventListener('signalingstatechange', listener);
        for (const transport of transports) transport.removeEventListener('statechange', listener);
      };
    },
  };
}
