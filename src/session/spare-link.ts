/**
 * A link built ahead of need. Building one (the RTCPeerConnection, its camera and microphone senders, the main
 * negotiated channel) takes the page ~10 ms of blocking calls into the browser's WebRTC thread; done while the
 * session waits in the room, that work is off the path from "the other person is here" to the offer. A spare is used
 * only if it still fits: the same local stream with the same tracks, and ICE settings it can be switched to.
 */
import type { CreateLink, Link, LinkOptions } from './link.js';

export class SpareLink {
  #link?: Link;
  #stream?: MediaStream;
  #trackIds = '';
  #ice = '';

  constructor(private readonly createLink: CreateLink) {}

  /** Builds a spare for this stream and ICE settings, replacing any spare already held. */
  prepare(options: LinkOptions): void {
    this.discard();
    this.#link = this.createLink(options);
    this.#stream = options.stream;
    this.#trackIds = trackIds(options.stream);
    this.#ice = iceSettings(options);
  }

  /**
   * Hands the spare over (it is then the caller's) when it was built for this stream as it is now, pointed at
   * these ICE settings; otherwise closes it and returns undefined.
   */
  take(options: LinkOptions): Link | undefined {
    const link = this.#link;
    const fits = link && !link.closed && this.#stream === options.stream && this.#trackIds === trackIds(options.stream);
    this.#link = undefined;
    this.#stream = undefined;
    const reconfigured = () =>
      this.#ice === iceSettings(options) || link!.reconfigure(options.iceServers, options.iceTransportPolicy ?? 'all');
    if (!link || !fits || !reconfigured()) {
      link?.destroy();
      return undefined;
    }
    return link;
  }

  /** Closes the spare, if any (leaving, or the local media changed for good). */
  discard(): void {
    this.#link?.destroy();
    this.#link = undefined;
    this.#stream = undefined;
  }
}

const iceSettings = ({ iceServers, iceTransportPolicy = 'all' }: LinkOptions): string =>
  JSON.stringify([iceServers, iceTransportPolicy]);

const trackIds = (stream: MediaStream | undefined): string =>
  stream
    ? stream
        .getTracks()
        .map((track) => `${track.id}/${track.readyState}`)
        .join(',')
    : '';
