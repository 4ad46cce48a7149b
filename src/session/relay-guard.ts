/**
 * `relay="forbid"` for what arrives from the other side. This side's own relay candidates never exist (no TURN
 * server in its configuration) and are never sent; the other side's announced relay candidates are dropped here,
 * trickled or inside a description. Their addresses are remembered: the other side's browser may still send
 * connectivity checks from its relay, which arrive as a peer-reflexive candidate, so the selected path is compared
 * with them too (see `isForbidden`).
 */
import type { SignalPayload } from '../signaling/signaling-adapter.js';

const RELAY_LINE = /^a=candidate:.* typ relay(?: .*)?\r?\n/gmu;

/** "address port" of a candidate line, or undefined when it is not one. */
function candidateAddress(line: string): string | undefined {
  // candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...
  const fields = line.replace(/^a=/u, '').split(' ');
  return fields.length >= 8 ? `${fields[4].toLowerCase()} ${fields[5]}` : undefined;
}

export class RelayGuard {
  readonly #relayAddresses = new Set<string>();

  /** The payload without the relay candidates it announces (undefined when it was nothing but one). */
  filter(payload: SignalPayload): SignalPayload | undefined {
    if (payload.type === 'candidate') {
      const line = (payload.candidate as { candidate?: unknown } | undefined)?.candidate;
      if (typeof line !== 'string' || !/ typ relay(?: |$)/u.test(line)) return payload;
      this.#remember(line);
      return undefined;
    }
    if ((payload.type === 'offer' || payload.type === 'answer') && typeof payload.sdp === 'string') {
      const sdp = payload.sdp.replace(RELAY_LINE, (line) => {
        this.#remember(line.trim());
        return '';
      });
      return sdp === payload.sdp ? payload : { ...payload, sdp };
    }
    return payload;
  }

  /** True when `address port` (a selected pair's remote end) is one of the relays the other side announced. */
  isForbidden(address: string | undefined, port: number | undefined): boolean {
    return address !== undefined && port !== undefined && this.#relayAddresses.has(`${address.toLowerCase()} ${port}`);
  }

  #remember(line: string): void {
    const address = candidateAddress(line);
    if (address) this.#relayAddresses.add(address);
  }
}
