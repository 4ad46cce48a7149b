import { expect } from '@open-wc/testing';
import type { ShareDetail } from '../../src/index.js';
import { liveTracks, waitFor } from '../support/call-helpers.js';
import { connectedSessions, paintingCanvas } from '../support/session-pair.js';

/** Resolves when `stream`'s first video track delivers frames to a <video>. */
async function framesFlow(stream: MediaStream, count = 5): Promise<void> {
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

function shareLog(session: { events: { on: (type: 'share-start' | 'share-end', handler: (detail: ShareDetail) => void) => void } }) {
  const log: string[] = [];
  session.events.on('share-start', ({ side }) => log.push(`start:${side}`));
  session.events.on('share-end', ({ side }) => log.push(`end:${side}`));
  return log;
}

describe('CallSession auxiliary stream', () => {
  it('shares a canvas: frames arrive remotely next to the camera, stop, share again', async () => {
    const { a, b, close } = await connectedSessions();
    const canvas = paintingCanvas();
    const bLog = shareLog(b);
    const cameraBefore = b.remoteStream;

    a.shareStream(canvas.stream);
    await waitFor(() => Boolean(b.remoteShareStream), 10_000, 'the remote share');
    await framesFlow(b.remoteShareStream!);
    expect(b.remoteStream).to.equal(cameraBefore); // the camera keeps flowing, unchanged
    await framesFlow(b.remoteStream!);

    a.stopSharing();
    await waitFor(() => !b.remoteShareStream, 5000, 'share end');
    expect(liveTracks(canvas.stream)).to.have.length(1); // a host stream is not stopped for it

    a.shareStream(canvas.stream);
    await waitFor(() => Boolean(b.remoteShareStream), 10_000, 'the share again');
    await framesFlow(b.remoteShareStream!);
    expect(bLog).to.deep.equal(['start:remote', 'end:remote', 'start:remote']);
    expect(a.state).to.equal('connected');
    canvas.stop();
    close();
  });

  it('both sides share at the same moment: no glare, both shares arrive', async () => {
    const { a, b, close } = await connectedSessions();
    const [ca, cb] = [paintingCanvas(), paintingCanvas()];
    a.shareStream(ca.stream);
    b.shareStream(cb.stream);
    await waitFor(() => Boolean(a.remoteShareStream && b.remoteShareStream), 10_000, 'both remote shares');
    await framesFlow(a.remoteShareStream!);
    await framesFlow(b.remoteShareStream!);
    expect(a.state).to.equal('connected');
    expect(b.state).to.equal('connected');
    [ca, cb].forEach((canvas) => canvas.stop());
    close();
  });

  it('starts and stops ten times in a row and stays connected', async () => {
    const { a, b, close } = await connectedSessions();
    const canvas = paintingCanvas();
    const bLog = shareLog(b);
    for (let round = 0; round < 10; round += 1) {
      a.shareStream(canvas.stream);
      await waitFor(() => Boolean(b.remoteShareStream), 10_000, `share ${round}`);
      a.stopSharing();
      await waitFor(() => !b.remoteShareStream, 10_000, `stop ${round}`);
    }
    expect(bLog.filter((entry) => entry === 'start:remote')).to.have.length(10);
    expect(bLog.filter((entry) => entry === 'end:remote')).to.have.length(10);
    a.shareStream(canvas.stream);
    await waitFor(() => Boolean(b.remoteShareStream), 10_000, 'the last share');
    await framesFlow(b.remoteShareStream!);
    expect(a.state).to.equal('connected');
    canvas.stop();
    close();
  });

  it('the browser ending the shared track ends the share on both sides', async () => {
    const { a, b, close } = await connectedSessions();
    const canvas = paintingCanvas();
    const aLog = shareLog(a);
    a.shareStream(canvas.stream);
    await waitFor(() => Boolean(b.remoteShareStream), 10_000, 'the remote share');
    // What the browser's own "Stop sharing" does: the track ends.
    const [track] = canvas.stream.getVideoTracks();
    track.stop();
    track.dispatchEvent(new Event('ended')); // stop() by script does not fire `ended`; the browser's button does
    await waitFor(() => !b.remoteShareStream, 5000, 'remote share end');
    expect(aLog).to.deep.equal(['start:local', 'end:local']);
    canvas.stop();
    close();
  });
});
