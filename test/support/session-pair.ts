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

/** A small fake camera (the browser's test device): frames without a canvas to paint them. */
export async function smallCamera(): Promise<{ stream: MediaStream; stop: () => void }> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120, frameRate: 15 } });
  return { stream, stop: () => {} };
}

/**
 * Two connected sessions, each with the other's camera stream. The cameras are small fake cameras: the sharing tests
 * run several calls with extra streams, and 720p cameras on top would only load the machine (the camera path has its
 * own tests). Canvases are kept for the shares themselves, where they stand for a host's document view.
 */
export async function connectedSessions(options: Partial<CallSessionOptions> = {}) {
  const room = uniqueRoom();
  const cameras = await Promise.all([smallCamera(), smallCamera()]);
  const make = (name: string, camera: MediaStream) =>
    new CallSession({ signaling: new BroadcastChannelSignaling(), room, name, localStream: camera, ...options });
  const a = make('Ada', cameras[0].stream);
  const b = make('Grace', cameras[1].stream);
  await Promise.all([a.join(), b.join()]);
  // `connected` comes with the data channel; which incoming stream is the camera is said over that channel a moment
  // later, so a test that reads remoteStream right after `connected` may find none yet.
  await waitFor(
    () => a.state === 'connected' && b.state === 'connected' && Boolean(a.remoteStream && b.remoteStream),
    15_000,
    () =>
      `both connected with the other's camera (${a.state}/${b.state}, cameras ${Boolean(a.remoteStream)}/${Boolean(b.remoteStream)})`,
  );
  const close = () => {
    [a, b].forEach((session) => session.destroy());
    for (const camera of cameras) {
      camera.stop();
      camera.stream.getTracks().forEach((track) => track.stop());
    }
  };
  return { a, b, close };
}
