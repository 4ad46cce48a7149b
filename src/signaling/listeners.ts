import type { SignalingEvent, SignalingListener } from './signaling-adapter.js';

/** The listener set every adapter shares: subscribe/unsubscribe and a fan-out that isolates throwing listeners. */
export class Listeners {
  readonly #listeners = new Set<SignalingListener>();

  subscribe(listener: SignalingListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: SignalingEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A host listener's bug must not stop delivery to the session.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
