import { expect } from '@open-wc/testing';
import { BroadcastChannelSignaling, CallSession } from '../../src/index.js';
import { PeerLink } from '../../src/session/peer-link.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';

/** The camera sender's scale and the width of what it last encoded. */
async function cameraSending(connection: RTCPeerConnection): Promise<{ scale?: number; width?: number }> {
  const sender = connection.getSenders().find((candidate) => candidate.track?.kind === 'video')!;
  let width: number | undefined;
  (await sender.getStats()).forEach((report: { type: string; frameWidth?: number }) => {
    if (report.type === 'outbound-rtp' && report.frameWidth) width = report.frameWidth;
  });
  return { scale: sender.getParameters().encodings[0]?.scaleResolutionDownBy, width };
}

describe('CallSession camera size', () => {
  it('sends a 720p camera at half size from the first frame, then at full size once the estimate allows it', async () => {
    const room = uniqueRoom();
    const streams = await Promise.all(
      [0, 1].map(() =>
        navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { exact: 1280 }, height: { exact: 720 } } }),
      ),
    );
    const [a, b] = streams.map(
      (localStream) => new CallSession({ signaling: new BroadcastChannelSignaling(), room, localStream }),
    );
    try {
      await Promise.all([a.join(), b.join()]);
      await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'both connected');
      const connection = a.peerConnection!;
      let sending = await cameraSending(connection);
      const until = async (done: () => boolean, ms: number, what: string) => {
        const deadline = performance.now() + ms;
        while (!done()) {
          if (performance.now() > deadline)
            throw new Error(`Timed out after ${ms} ms: ${what} (${JSON.stringify(sending)})`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          sending = await cameraSending(connection);
        }
      };
      await until(() => sending.width !== undefined, 5_000, 'a first encoded frame');
      expect(sending.scale).to.equal(2);
      expect(sending.width).to.equal(640, 'the first frames: half the camera');
      // Full size is the browser's own setting again (no scale at all), and its frames are the camera's own size.
      await until(
        () => sending.scale === undefined && sending.width === 1280,
        10_000,
        'full size once the estimate on loopback allows it',
      );
    } finally {
      a.destroy();
      b.destroy();
      for (const stream of streams) stream.getTracks().forEach((track) => track.stop());
    }
  });

  it('sends the camera at full size when told so right after it was built (a replacement connection)', async () => {
    const hd = await navigator.mediaDevices.getUserMedia({ video: { width: { exact: 1280 }, height: { exact: 720 } } });
    const link = new PeerLink({ iceServers: [], stream: hd });
    try {
      expect(link.cameraReduced).to.equal(true, 'reduced when built');
      link.reduceCamera(false);
      expect(link.cameraReduced).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 100)); // both setParameters settle
      const sender = link.connection.getSenders().find((candidate) => candidate.track?.kind === 'video')!;
      expect(sender.getParameters().encodings[0]?.scaleResolutionDownBy).to.equal(undefined);
    } finally {
      link.destroy();
      hd.getTracks().forEach((track) => track.stop());
    }
  });

  it('drops the scale when the camera is switched while reduced to one already within VGA', async () => {
    const camera = (width: number, height: number) =>
      navigator.mediaDevices.getUserMedia({ video: { width: { exact: width }, height: { exact: height } } });
    const [hd, vga] = await Promise.all([camera(1280, 720), camera(640, 480)]);
    const link = new PeerLink({ iceServers: [], stream: hd });
    const scale = () =>
      link.connection
        .getSenders()
        .find((sender) => sender.track?.kind === 'video')!
        .getParameters().encodings[0]?.scaleResolutionDownBy;
    try {
      expect(link.cameraReduced).to.equal(true);
      expect(scale()).to.equal(2);
      link.setLocalTrack(vga.getVideoTracks()[0]);
      await new Promise((resolve) => setTimeout(resolve, 100)); // replaceTrack and setParameters settle
      expect(scale()).to.equal(undefined, 'a VGA camera is sent as it is');
      expect(link.cameraReduced).to.equal(false);
    } finally {
      link.destroy();
      for (const stream of [hd, vga]) stream.getTracks().forEach((track) => track.stop());
    }
  });
});
