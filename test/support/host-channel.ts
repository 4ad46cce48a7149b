// A stand-in for a host application's own message channel (its socket, long-poll, Firebase...): it delivers every
// envelope, serialised to JSON text and asynchronously, to every other subscriber. It knows nothing of the envelopes.
import { CallbackSignaling } from '../../src/index.js';

export class HostChannel {
  readonly #subscribers = new Set<(text: string) => void>();
  delivered = 0;
  /** While true the channel is down: nothing is delivered (and nothing is queued for later). */
  paused = false;

  /** @param rewrite lets a test play a malicious relay that edits envelopes in flight. */
  constructor(private readonly rewrite: (text: string) => string = (text) => text) {}

  connect(): CallbackSignaling {
    const deliver = (text: string) => signaling.receive(text);
    const signaling: CallbackSignaling = new CallbackSignaling({
      send: (envelope) => this.publish(JSON.stringify(envelope), deliver),
      onJoin: () => this.#subscribers.add(deliver),
      onLeave: () => this.#subscribers.delete(deliver),
    });
    return signaling;
  }

  /** Sends raw text to everyone but `from`, as a host's broken or hostile backend might. */
  publish(text: string, from?: (text: string) => void): void {
    if (this.paused) return;
    for (const subscriber of this.#subscribers) {
      if (subscriber === from) continue;
      this.delivered += 1;
      const delivered = this.rewrite(text);
      setTimeout(() => subscriber(delivered), 0);
    }
  }
}
