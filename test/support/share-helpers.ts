// Helpers for the auxiliary-stream tests.
import type { ShareDetail } from '../../src/index.js';

/** Resolves when `stream`'s first video track delivers frames to a <video>. */
export async function framesFlow(stream: MediaStream, count = 5, what = 'stream'): Promise<void> {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  document.body.append(video);
  await new Promise<void>((resolve, reject) => {
    let frames = 0;
    const tracks = () => stream.getTracks().map((track) => `${track.kind} ${track.readyState}${track.muted ? ' muted' : ''}`);
    const timer = setTimeout(() => reject(new Error(`${what}: only ${frames} frames in 10 s (${tracks().join(', ')})`)), 10_000);
    video.play().catch(reject);
    const onFrame = () => (++frames >= count ? (clearTimeout(timer), resolve()) : video.requestVideoFrameCallback(onFrame));
    video.requestVideoFrameCallback(onFrame);
  });
  video.srcObject = null; // release the media player now, not at garbage collection
  video.remove();
}

export function shareLog(session: { events: { on: (type: 'share-start' | 'share-end', handler: (detail: ShareDetail) => void) => void } }) {
  const log: string[] = [];
  session.events.on('share-start', ({ side }) => log.push(`start:${side}`));
  session.events.on('share-end', ({ side }) => log.push(`end:${side}`));
  return log;
}

