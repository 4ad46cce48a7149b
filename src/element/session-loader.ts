/**
 * The session floor and the peer library are a chunk of their own in the script-tag bundle (about half of what the
 * element needs): a page that shows the element is interactive without downloading or parsing them. The element
 * loads them on join(), and prefetches them as soon as a call becomes likely (the lobby opens, the pointer or focus
 * reaches a Join button), so that join() rarely waits for them.
 */
export type SessionModule = typeof import('../session/call-session.js');

let loading: Promise<SessionModule> | undefined;

/** The session module; one load shared by every element of the page. A failed load is forgotten, so a later join() asks again. */
export function loadSessionModule(): Promise<SessionModule> {
  return (loading ??= import('../session/call-session.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
}

/** Starts the load ahead of join(). A failure here is left for join() to report. */
export function prefetchSessionModule(): void {
  loadSessionModule().catch(() => {});
}

/** The CallSession class, for a script-tag page that drives a session itself (the bundle's entry does not carry it). */
export async function loadCallSession(): Promise<SessionModule['CallSession']> {
  return (await loadSessionModule()).CallSession;
}
