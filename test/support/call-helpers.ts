// Helpers for tests that run real calls in the browser. No mocks: these only wait for and read real state.
import { oneEvent } from '@open-wc/testing';
import type { P2PCall } from '../../src/index.js';
import type { CallStateValue } from '../../src/index.js';

let roomCounter = 0;

/** A room name no other test (or an earlier run in the same browser) uses. */
export function uniqueRoom(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${++roomCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Resolves when the element is in `state` (at once if it is there already); rejects after `timeoutMs`. Polled: for
 * a state that may last only milliseconds (`waiting` while the other person joins too), use waitForJoined.
 */
export async function waitForState(element: P2PCall, state: CallStateValue, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => element.state === state, timeoutMs, () => `state "${state}" (still "${element.state}")`);
}

/** Resolves once the element is in the room: past `joining`, whether or not a peer is there yet. */
export async function waitForJoined(element: P2PCall, timeoutMs = 15_000): Promise<void> {
  const inRoom = ['waiting', 'connecting', 'connected', 'reconnecting'];
  await waitFor(() => inRoom.includes(element.state), timeoutMs, () => `the room (state "${element.state}")`);
}

/** Polls a condition every 20 ms. `what` names it in the timeout error (a function: read when it times out). */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 15_000,
  what: string | (() => string) = 'condition',
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Counts frames actually presented by a video element (requestVideoFrameCallback) until `count` arrived. */
export function waitForFrames(video: HTMLVideoElement, count = 5, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let frames = 0;
    const timer = setTimeout(() => reject(new Error(`only ${frames}/${count} frames in ${timeoutMs} ms`)), timeoutMs);
    const onFrame = () => {
      frames += 1;
      if (frames >= count) {
        clearTimeout(timer);
        resolve(frames);
      } else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
}

/** Mean luma (0-255) of the current frame of a video: the fake camera is bright, a disabled track sends black. */
export function frameBrightness(video: HTMLVideoElement): number {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 36;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(video, 0, 0, canvas.width, canvas.height);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
  return sum / (data.length / 4);
}

/** The built-in remote <video> in the element's shadow root. */
export function remoteVideo(element: P2PCall): HTMLVideoElement {
  return element.shadowRoot!.querySelector<HTMLVideoElement>('video.remote-video')!;
}

export function nextEvent<K extends keyof GlobalEventHandlersEventMap>(
  target: EventTarget,
  type: K,
): Promise<GlobalEventHandlersEventMap[K]> {
  return oneEvent(target, type) as Promise<GlobalEventHandlersEventMap[K]>;
}

/** Every live (not ended) track of a stream. */
export function liveTracks(stream: MediaStream | undefined): MediaStreamTrack[] {
  return stream?.getTracks().filter((track) => track.readyState === 'live') ?? [];
}
