// Helpers for the auxiliary-stream tests.
import type { ShareDetail } from '../../src/index.js';

/** Resolves when `stream`'s first video track delivers frames to a <video>. */
export async function framesFlow(stream: MediaStream, count = 5): Promise<void> {
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = stream;
  document.body.append(video);
  await video.play();
  await new Promise<void>((resolve, reject) => {
    let frames = 0;
    const timer = setTimeout(() => reject(new Error(`only ${frames} aux frames`)), 10_000);
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

