/**
 * Ties one CallSession to the element's lifecycle (lit's ReactiveController pattern). start() loads the session's
 * chunk (session-loader.ts) and joins; meanwhile the controller itself is the state (`joining`), so the element reads
 * and announces the same states whether the chunk was here already or not. Every event, the session's and the
 * controller's own, goes to the handlers subscribed with on() (typed by the one event map), then out as a
 * `p2p-<name>` DOM event on the host, then re-renders the host. Removing the element from the page ends the call.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ErrorCode, type ErrorDetail } from '../errors.js';
import type { CallEventMap, CallEventName } from '../session/call-events.js';
import type { CallSession, CallSessionOptions } from '../session/call-session.js';
import { CallState, isActive } from '../session/call-state.js';
import { stopStream } from '../session/media.js';
import { canCall } from './browser-support.js';
import { dispatchCallEvent } from './call-dom-events.js';
import { loadSessionModule, prefetchSessionModule, type SessionModule } from './session-loader.js';

export type CallEventHandler<K extends CallEventName> = (detail: CallEventMap[K]) => void;

/** Events that change nothing on screen by themselves: no re-render for them (app data can arrive hundreds of times a
 * second; quality samples every second redraw only when the element says the shown value changed). */
const INVISIBLE_EVENTS: ReadonlySet<CallEventName> = new Set<CallEventName>(['data', 'route', 'quality']);

export class SessionController implements ReactiveController {
  #session?: CallSession;
  /** The state while no session speaks for itself: `joining` while its chunk loads, then `ended` or `error` if that
   * load was cancelled or failed. */
  #ownState?: CallState;
  /** The options of a start() still waiting for the chunk: their lobby media is released if it never arrives. */
  #pending?: CallSessionOptions;
  /** Bumped by every start(), stop() and fail(), so a load that resolves after one of them knows it is stale. */
  #attempt = 0;
  readonly #handlers = new Map<CallEventName, Array<CallEventHandler<never>>>();

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** The session of the current (or last) call; undefined before the first one and while its chunk loads. */
  get session(): CallSession | undefined {
    return this.#session;
  }

  get state(): CallState {
    return this.#ownState ?? this.#session?.state ?? CallState.Idle;
  }

  /** Subscribes to one event for the host's lifetime (across calls), before it is dispatched on the host. */
  on<K extends CallEventName>(name: K, handler: CallEventHandler<K>): void {
    this.#handlers.set(name, [...(this.#handlers.get(name) ?? []), handler as CallEventHandler<never>]);
  }

  /**
   * Ends any previous call and starts one: `joining` at once, then the session's own states once its chunk is here.
   * Resolves when joined or failed (a failure is an `error` event, never a rejection).
   */
  async start(options: CallSessionOptions): Promise<void> {
    this.stop();
    const attempt = this.#attempt;
    const previous = this.state;
    this.#session = undefined;
    this.#pending = options;
    this.#setOwnState(CallState.Joining, previous);
    let module: SessionModule;
    try {
      module = await loadSessionModule();
    } catch (error) {
      if (attempt !== this.#attempt) return;
      this.fail({
        code: ErrorCode.LoadFailed,
        message: `The call could not be loaded (${String(error)}). Check the connection, then join again.`,
        recoverable: false,
      });
      return;
    }
    if (attempt !== this.#attempt) return; // left (or removed) while it loaded
    this.#pending = undefined;
    const session = new module.CallSession(options);
    let announced = false;
    session.events.on('*', (name, detail) => {
      // `joining` was announced when start() was called; the session's own announcement of it would be a repeat.
      if (!announced && name === 'state-change' && session.state === CallState.Joining) {
        announced = true;
        return;
      }
      this.#emit(name, detail as CallEventMap[typeof name]);
    });
    this.#session = session;
    this.#ownState = undefined;
    // A page that closes or reloads says goodbye, so the other side shows "waiting" at once instead of after
    // the transport times out. (Custom elements get no disconnectedCallback when the page itself goes away.)
    globalThis.addEventListener?.('pagehide', this.#handlePageHide);
    await session.join();
  }

  /** Ends the call (if any): tracks stopped, peer closed, signaling left; a load still on its way is abandoned. The
   * ended session stays readable. */
  stop(): void {
    this.#attempt++;
    if (this.#ownState === CallState.Joining) {
      this.#releasePending();
      this.#setOwnState(CallState.Ended);
    }
    this.#detach();
  }

  /** A failure found before there is a session (a browser that cannot call, the chunk not loading): the `error`
   * state and event, as a session's fatal error leaves them. */
  fail(error: ErrorDetail): void {
    this.#attempt++;
    this.#releasePending();
    this.#detach();
    this.#session = undefined;
    this.#setOwnState(CallState.Error);
    this.#emit('error', error);
  }

  /** An error the element found itself (not the session): shown and dispatched like the session's. */
  report(error: ErrorDetail): void {
    this.#emit('error', error);
  }

  /** The session of a call in progress, or undefined after reporting `not-connected` for `what`. */
  require(what: string): CallSession | undefined {
    const session = this.#session;
    if (session && isActive(session.state)) return session;
    this.report({ code: ErrorCode.NotConnected, message: `${what} needs a call in progress.`, recoverable: true });
    return undefined;
  }

  /** Loads the session's chunk ahead of join(), when a call becomes likely (and can happen at all). */
  prefetch = (): void => {
    if (canCall()) prefetchSessionModule();
  };

  hostConnected(): void {
    // A pointer over the element, or focus inside it, is the earliest sign that a Join button is about to be pressed.
    this.host.addEventListener('pointerenter', this.prefetch);
    this.host.addEventListener('focusin', this.prefetch);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('pointerenter', this.prefetch);
    this.host.removeEventListener('focusin', this.prefetch);
    this.stop();
  }

  #setOwnState(state: CallState, previous = this.state): void {
    this.#ownState = state;
    if (state !== previous) this.#emit('state-change', { state, previous });
  }

  #emit<K extends CallEventName>(name: K, detail: CallEventMap[K]): void {
    for (const handler of this.#handlers.get(name) ?? []) (handler as CallEventHandler<K>)(detail);
    dispatchCallEvent(this.host, name, detail);
    if (!INVISIBLE_EVENTS.has(name)) this.host.requestUpdate();
  }

  #detach(): void {
    const session = this.#session;
    if (!session) return;
    globalThis.removeEventListener?.('pagehide', this.#handlePageHide);
    session.leave();
    session.events.all.clear();
  }

  /** The camera and microphone the lobby handed over for a call that never started. */
  #releasePending(): void {
    const media = this.#pending?.capturedMedia;
    this.#pending = undefined;
    void Promise.resolve(media).then((handed) => stopStream(handed?.stream));
  }

  #handlePageHide = (): void => this.stop();
}
