import { expect } from '@open-wc/testing';
import { waitFor } from '../support/call-helpers.js';
import { shareLog } from '../support/share-helpers.js';
import { connectedSessions, paintingCanvas } from '../support/session-pair.js';

// One scenario per file: each gets a fresh page (see test/session/README.md).
describe('CallSession auxiliary stream', () => {
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
