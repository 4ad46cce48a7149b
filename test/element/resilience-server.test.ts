import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/p2p-call.js';
import { remoteVideo, uniqueRoom, waitForState } from '../support/call-helpers.js';
import { framesFlow } from '../support/share-helpers.js';
import { smallCameraElement } from '../support/two-party.js';

/** Frames the video presents during `ms` milliseconds (requestVideoFrameCallback). */
function framesDuring(video: HTMLVideoElement, ms: number): Promise<number> {
  return new Promise((resolve) => {
    let frames = 0;
    let done = false;
    const onFrame = () => {
      frames += 1;
      if (!done) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    setTimeout(() => {
      done = true;
      resolve(frames);
    }, ms);
  });
}

/** A promise that rejects after `ms` with what it was waiting for: a failed step says so instead of hanging. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);
}

// One scenario per file: each gets a fresh page and its own time limit (test/session/README.md).
describe('<p2p-call> resilience: signaling server', function () {
  this.timeout(150_000);

  it('keeps the call when the signaling server process dies; renegotiates after it is back', async () => {
    const url = (await executeServerCommand('signaling-process-start')) as string;
    const room = uniqueRoom();
    const a = await smallCameraElement(room, url, 'Ada');
    const b = await smallCameraElement(room, url, 'Grace');
    void a.join();
    void b.join();
    await waitForState(a, 'connected', 30_000);
    await waitForState(b, 'connected', 30_000);
    const states: string[] = [];
    for (const call of [a, b]) call.addEventListener('p2p-state-change', (event) => states.push(event.detail.state));

    await executeServerCommand('signaling-process-kill');
    const windows: number[] = [];
    for (let second = 0; second < 10; second += 2) windows.push(await framesDuring(remoteVideo(b), 2000));
    console.log(`remote frames per 2 s with the signaling server dead: ${windows.join(', ')}`);
    expect(windows.every((frames) => frames > 0), `frames in every 2 s window: ${windows}`).to.equal(true);
    expect(states).to.deep.equal([]); // nothing noticed: media never needed the server
    const ping = new Promise((resolve) => b.addEventListener('p2p-data', (event) => resolve(event.detail.data), { once: true }));
    a.send('still here');
    expect(await within(ping, 10_000, 'app data')).to.equal('still here');

    await executeServerCommand('signaling-process-start'); // the same port, as a restarted server would
    // The first share adds a sender: a renegotiation, which needs signaling again.
    const share = await navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120 } });
    const started = new Promise<MediaStream>((resolve) =>
      b.addEventListener('p2p-share-start', (event) => event.detail.side === 'remote' && resolve(event.detail.stream)),
    );
    a.shareStream(share);
    await framesFlow(await within(started, 60_000, 'remote share after the restart'), 5, 'the share after the restart');
    expect([a.state, b.state]).to.deep.equal(['connected', 'connected']);
    share.getTracks().forEach((track) => track.stop());
    a.leave();
    b.leave();
    [a, b].forEach((call) => call.localStream!.getTracks().forEach((track) => track.stop()));
  });
});
