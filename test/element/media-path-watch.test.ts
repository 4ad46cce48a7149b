// The watch for a broken media path counts bytes with getStats(), the costliest thing a running call does on the
// main thread; while the other person's picture moves on the page it needs no count. Judging a path that stops is
// unit-tested (test/unit/session/pure-modules.test.ts); the network lab proves recovery on real networks.
import { expect } from '@open-wc/testing';
import { remoteVideo, waitFor, waitForFrames, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

const WINDOW_MS = 3000;

/** getStats() calls of every connection in this page during `ms`. */
async function statsReadsDuring(ms: number): Promise<number> {
  const prototype = RTCPeerConnection.prototype;
  const getStats = Object.getOwnPropertyDescriptor(prototype, 'getStats')!;
  let reads = 0;
  Object.defineProperty(prototype, 'getStats', {
    ...getStats,
    value: function (this: RTCPeerConnection, ...args: unknown[]) {
      reads++;
      return (getStats.value as (...rest: unknown[]) => unknown).apply(this, args);
    },
  });
  try {
    await new Promise((done) => setTimeout(done, ms));
  } finally {
    Object.defineProperty(prototype, 'getStats', getStats);
  }
  return reads;
}

describe('media-path watch', () => {
  it('reads no statistics while the other picture moves: a running call reads them for its quality samples', async () => {
    const { a, b } = await callPair('broadcast');
    await Promise.all([waitForState(a, 'connected'), waitForState(b, 'connected')]);
    await Promise.all([waitForFrames(remoteVideo(a), 10), waitForFrames(remoteVideo(b), 10)]);
    await waitFor(() => remoteVideo(a).getVideoPlaybackQuality().totalVideoFrames > 10, 5000, 'frames counted');
    const reads = await statsReadsDuring(WINDOW_MS);
    // Two elements: a quality sample every 2 s each. Counting bytes every 250 ms would be 24 more in 3 s; a few
    // samples may still count them where a busy page showed no new frame for a moment.
    expect(reads).to.be.at.most(10);
    expect(reads, 'the quality samples still run').to.be.at.least(2);
  });
});
