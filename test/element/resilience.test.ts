import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { remoteVideo, uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { framesFlow } from '../support/share-helpers.js';
import { smallCamera } from '../support/session-pair.js';
import { signalingUrl } from '../support/two-party.js';

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

/** An element with a small fake camera of its own (720p encodes on two slow cores would only add noise). */
async function element(room: string, signaling: string, name: string): Promise<P2PCall> {
  const call = await fixture<P2PCall>(html`<p2p-call .room=${room} .name=${name} ice-servers="[]" style="width:400px"></p2p-call>`);
  call.signaling = signaling;
  call.localStream = (await smallCamera()).stream;
  return call;
}

describe('<p2p-call> resilience', function () {
  this.timeout(150_000);

  it('keeps the call when the signaling server process dies; renegotiates after it is back', async () => {
    const url = (await executeServerCommand('signaling-process-start')) as string;
    const room = uniqueRoom();
    const a = await element(room, url, 'Ada');
    const b = await element(room, url, 'Grace');
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
    expect(await ping).to.equal('still here');

    await executeServerCommand('signaling-process-start'); // the same port, as a restarted server would
    // The first share adds a sender: a renegotiation, which needs signaling again.
    const share = await navigator.mediaDevices.getUserMedia({ video: { width: 160, height: 120 } });
    const started = new Promise<MediaStream>((resolve) =>
      b.addEventListener('p2p-share-start', (event) => event.detail.side === 'remote' && resolve(event.detail.stream)),
    );
    a.shareStream(share);
    await framesFlow(await started, 5, 'the share after the restart');
    expect([a.state, b.state]).to.deep.equal(['connected', 'connected']);
    share.getTracks().forEach((track) => track.stop());
    a.leave();
    b.leave();
    [a, b].forEach((call) => call.localStream!.getTracks().forEach((track) => track.stop()));
  });

  it('the other person reloads their page: this side shows waiting, then the call resumes by itself', async () => {
    const url = await signalingUrl();
    const room = uniqueRoom();
    const a = await element(room, url, 'Ada');
    const states: string[] = [];
    a.addEventListener('p2p-state-change', (event) => states.push(event.detail.state));
    const errors: string[] = [];
    a.addEventListener('p2p-error', (event) => errors.push(event.detail.code));
    const frame = document.createElement('iframe');
    frame.src = `/test/support/peer-frame.html?room=${room}&signaling=${encodeURIComponent(url)}`;
    frame.allow = 'camera; microphone';
    document.body.append(frame);
    void a.join();
    await waitForState(a, 'connected', 30_000);
    const firstPeer = a.remotePeer!.id;
    states.length = 0;

    const reloadedAt = performance.now();
    frame.contentWindow!.location.reload();
    await waitFor(
      () => a.state === 'connected' && a.remotePeer?.id !== firstPeer && Boolean(a.remoteStream),
      40_000,
      `the call again (states: ${states.join(' ')})`,
    );
    console.log(`call resumed ${Math.round(performance.now() - reloadedAt)} ms after the other page reloaded (states: ${states.join(' → ')})`);
    expect(states).to.include('waiting');
    expect(errors).to.deep.equal([]); // nothing for the host to handle
    await framesFlow(a.remoteStream!, 5, 'video from the reloaded page');
    frame.remove();
    a.leave();
    a.localStream!.getTracks().forEach((track) => track.stop());
  });
});
