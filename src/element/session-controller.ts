/**
 * Ties one CallSession to the element's lifecycle (lit's ReactiveController pattern): the element asks for a session
 * on join(), every session event re-renders the host and is handed to it for re-dispatch, and removing the element
 * from the page destroys the session, which stops the camera and closes the connection.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallEventMap, CallEventName } from '../session/call-events.js';
import { CallSession, type CallSessionOptions } from '../session/call-session.js';

export type SessionEventHandler = <K extends CallEventName>(name: K, detail: CallEventMap[K]) => void;

/** Events that change nothing on screen by themselves: no re-render for them (app data can arrive hundreds of times a
 * second; quality samples every second redraw only when the element says the shown value changed). */
const INVISIBLE_EVENTS: ReadonlySet<CallEventName> = new Set<CallEventName>(['data', 'route', 'quality']);

export class SessionController implements ReactiveController {
  #session?: CallSession;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onEvent: SessionEventHandler,
  ) {
    host.addController(this);
  }

  get session(): CallSession | undefined {
    return this.#session;
  }

  /** Replaces any previous session with a new one and subscribes to it. */
  start(options: CallSessionOptions): CallSession {
    this.stop();
    const session = new CallSession(options);
    session.events.on('*', (name, detail) => {
      this.onEvent(name, detail as CallEventMap[typeof name]);
      if (!INVISIBLE_EVENTS.has(name)) this.host.requestUpdate();
    });
    this.#session = session;
    // A page that closes or reloads says goodbye, so the other side shows "waiting" at once instead of after
    // the transport times out. (Custom elements get no disconnectedCallback when the page itself goes away.)
    globalThis.addEventListener?.('pagehide', this.#handlePageHide);
    return session;
  }

  /** Ends the session (if any): tracks stopped, peer closed, signaling left. The ended session stays readable. */
  stop(): void {
    const session = this.#session;
    if (!session) return;
    globalThis.removeEventListener?.('pagehide', this.#handlePageHide);
    session.leave();
    session.events.all.clear();
  }

  #handlePageHide = (): void => this.stop();

  hostConnected(): void {}

  hostDisconnected(): void {
    this.stop();
  }
}
