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

/**
 * Two connected sessions whose cameras are small painting canvases: the sharing tests run several calls with
 * extra streams, and 720p fake cameras on top would only load the machine (the camera path has its own tests).
 */
export async function connectedSessions(options: Partial<CallSessionOptions> = {}) {
  const room = uniqueRoom();
  const cameras = [paintingCanvas(160, 120), paintingCanvas(160, 120)];
  const make = (name: string, camera: MediaStream) =>
    new CallSession({ signaling: new BroadcastChannelSignaling(), room, name, localStream: camera, ...options });
  const a = make('Ada', cameras[0].stream);
  const b = make('Grace', cameras[1].stream);
  await Promise.all([a.join(), b.join()]);
  await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'both connected');
  const close = () => {
    [a, b].forEach((session) => session.destroy());
    for (const camera of cameras) {
      camera.stop();
      camera.stream.getTracks().forEach((track) => track.stop());
    }
  };
  return { a, b, close };
}
