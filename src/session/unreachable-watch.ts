/**
 * Tells when a peer's first connection proves that the two networks have no path between them, so the session can
 * say so at once instead of retrying until its recovery deadline.
 *
 * The rule: the browser declares the connection failed (ICE `failed`, or the connection `failed`, as Chromium reports
 * a first connection whose checks all went unanswered) while ICE never came up, after at least one of the other
 * side's candidates was applied. ICE then has checked every pair of this side's candidates with the other side's for
 * its whole checking period (~15 s in Chromium) without one answer: both sides gather at the same time, and what a
 * side has not found by then (a srflx address from a STUN server behind a UDP firewall) it does not find later. A
 * fresh connection between the same networks, with the same servers and relay policy, fails the same way, only later.
 * Without any remote candidate the failure says nothing about the networks (the other side's candidates were lost on
 * the way): that case goes to the ordinary recovery. A connection that was up once is never judged here: a path that
 * worked and broke (a network change) is recovered.
 */
export class UnreachableWatch {
  readonly #connection: RTCPeerConnection;
  readonly #onUnreachable: () => void;
  #heard = false;
  #iceWasUp = false;
  #stopped = false;

  constructor(connection: RTCPeerConnection, onUnreachable: () => void) {
    this.#connection = connection;
    this.#onUnreachable = onUnreachable;
    connection.addEventListener('iceconnectionstatechange', this.#check);
    connection.addEventListener('connectionstatechange', this.#check);
  }

  /** One of the other side's candidates was applied to the connection. */
  heard(): void {
    this.#heard = true;
  }

  stop(): void {
    this.#stopped = true;
    this.#connection.removeEventListener('iceconnectionstatechange', this.#check);
    this.#connection.removeEventListener('connectionstatechange', this.#check);
  }

  #check = (): void => {
    const { iceConnectionState, connectionState } = this.#connection;
    if (iceConnectionState === 'connected' || iceConnectionState === 'completed') this.#iceWasUp = true;
    const failed = iceConnectionState === 'failed' || connectionState === 'failed';
    if (this.#stopped || !failed || this.#iceWasUp || !this.#heard) return;
    this.stop();
    this.#onUnreachable();
  };
}

/** True when a signal from the other side carries at least one of its ICE candidates. */
export function carriesCandidate(payload: { type: string; sdp?: unknown; candidate?: unknown }): boolean {
  if (payload.type === 'candidate') {
    const line = (payload.candidate as { candidate?: unknown } | undefined)?.candidate;
    return typeof line === 'string' && line !== '';
  }
  return typeof payload.sdp === 'string' && /^a=candidate:/mu.test(payload.sdp);
}
