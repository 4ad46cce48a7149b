import { expect } from '@open-wc/testing';
import { waitFor } from '../support/call-helpers.js';
import { framesFlow, shareLog } from '../support/share-helpers.js';
import { connectedSessions, paintingCanvas } from '../support/session-pair.js';

// One scenario per file: each gets a fresh page (see test/session/README.md).
describe('CallSession auxiliary stream', () => {
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
});
