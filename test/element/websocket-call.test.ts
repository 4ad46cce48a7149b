import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { frameBrightness, remoteVideo, waitForFrames, waitForState } from '../support/call-helpers.js';
import { callPair, signalingUrl } from '../support/two-party.js';

describe('<p2p-call> over the real WebSocket signaling server', () => {
  it('connects two elements through ws://127.0.0.1 and plays remote frames both ways', async () => {
    const { a, b } = await callPair(await signalingUrl());
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    await waitForFrames(remoteVideo(a), 10);
    await waitForFrames(remoteVideo(b), 10);
    expect(frameBrightness(remoteVideo(a))).to.be.greaterThan(20);
    expect(remoteVideo(b).videoWidth).to.be.greaterThan(0);
    const stats = (await executeServerCommand('signaling-stats')) as { connections: number; rooms: number };
    expect(stats.connections).to.be.at.least(2);
    expect(stats.rooms).to.be.at.least(1);
  });
});
