/**
 * Where links come from: built with the call's ICE servers (the host's, plus those the signaling server hands out
 * with `joined`) under its relay policy and with the current local stream, taken from the spare when it fits (see
 * SpareLink), and warned about once when relay="only" has no TURN server to relay through.
 */
import { ErrorCode, P2PCallError } from '../errors.js';
import type { CreateLink, Link, LinkOptions } from './link.js';
import { applyRelayPolicy, hasTurnServer, type RelayPolicy } from './relay-policy.js';
import { SpareLink } from './spare-link.js';

export interface LinkFactoryOptions {
  createLink: CreateLink;
  iceServers: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  relay: RelayPolicy;
  /** The stream links send (camera and microphone, or the host's). */
  stream(): MediaStream | undefined;
  warn(error: P2PCallError): void;
}

export class LinkFactory {
  readonly #spare: SpareLink;
  /** TURN/STUN servers the signaling server handed out with `joined` (short-lived credentials); replaced on rejoin. */
  #serverIceServers: RTCIceServer[] = [];
  #warnedNoTurn = false;

  constructor(private readonly options: LinkFactoryOptions) {
    this.#spare = new SpareLink(options.createLink);
  }

  set serverIceServers(servers: RTCIceServer[]) {
    this.#serverIceServers = servers;
  }

  /** A link for a peer: the spare when it was built for the call as it is now, else a new one. */
  link(): Link {
    const options = this.#linkOptions();
    if (this.options.relay === 'only' && !hasTurnServer(options.iceServers) && !this.#warnedNoTurn) {
      // Checked here, not at join: the signaling server may hand out TURN credentials with `joined`.
      this.#warnedNoTurn = true;
      this.options.warn(
        new P2PCallError(
          ErrorCode.InvalidConfig,
          'relay="only" needs a TURN server (ice-servers, or credentials from the signaling server); the call cannot connect without one.',
          true,
        ),
      );
    }
    return this.#spare.take(options) ?? this.options.createLink(options);
  }

  /** Builds the next link ahead of need, while nobody is there to connect to. */
  prepareSpare(): void {
    this.#spare.prepare(this.#linkOptions());
  }

  discardSpare(): void {
    this.#spare.discard();
  }

  #linkOptions(): LinkOptions {
    const ice = applyRelayPolicy([...this.options.iceServers, ...this.#serverIceServers], this.options.relay);
    return {
      iceServers: ice.iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy ?? ice.iceTransportPolicy,
      stream: this.options.stream(),
    };
  }
}
