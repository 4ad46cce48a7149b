import { expect } from '@open-wc/testing';
import { liveTracks, waitFor } from '../support/call-helpers.js';
import { framesFlow, shareLog } from '../support/share-helpers.js';
import { connectedSessions, paintingCanvas } from '../support/session-pair.js';

// One scenario per file: each gets a fresh page (see test/session/README.md).
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
});
