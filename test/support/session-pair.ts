// Two connected CallSessions (no DOM) over BroadcastChannel, with host-made canvas streams as cameras.
import { BroadcastChannelSignaling, CallSession, type CallSessionOptions } from '../../src/index.js';
import { uniqueRoom, waitFor } from './call-helpers.js';

/** A canvas that keeps painting (a moving colour), as an editor or whiteboard view would. */
export function paintingCanvas(width = 320, height = 180): { stream: MediaStream; stop: () => void } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const timer = setInterval(() => {
    context.fillStyle = `hsl(${(performance.now() / 10) % 360} 80% 50%)`;
    context.fillRect(0, 0, width, height);
  }, 30);
  return { stream: canvas.captureStream(30), stop: () => clearInterval(timer) };
}

export async function connectedSessions(options: Partial<CallSessionOptions> = {}) {
  const room = uniqueRoom();
  const make = (name: string) =>
    new CallSession({ signaling: new BroadcastChannelSignaling(), room, name, media: { audio: true, video: true }, ...options });
  const a = make('Ada');
  const b = make('Grace');
  await Promise.all([a.join(), b.join()]);
  await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'both connected');
  return { a, b, close: () => [a, b].forEach((session) => session.destroy()) };
}
