import { expect } from '@open-wc/testing';
import { waitFor } from '../support/call-helpers.js';
import { framesFlow } from '../support/share-helpers.js';
import { connectedSessions, paintingCanvas } from '../support/session-pair.js';

// One scenario per file: each gets a fresh page (see test/session/README.md).
describe('CallSession auxiliary stream', () => {
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
});
