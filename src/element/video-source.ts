import { guard } from 'lit/directives/guard.js';

/**
 * Binds a stream to a video's srcObject only when it changes. Lit re-assigns object values on every render, and
 * each assignment restarts the video (a flash of black on every progress event).
 */
export const srcObject = (stream: MediaStream | undefined) => guard([stream], () => stream ?? null);
