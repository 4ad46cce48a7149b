import { expect } from '@open-wc/testing';
import { BroadcastChannelSignaling, CallSession } from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';

/** The codec a description puts first for audio: the one the other side sends with. */
function firstAudioCodec(sdp: string): string | undefined {
  const payload = /^m=audio \d+ \S+ (\d+)/mu.exec(sdp)?.[1];
  return payload === undefined ? undefined : new RegExp(`^a=rtpmap:${payload} ([^/\\s]+)`, 'mu').exec(sdp)?.[1];
}

describe('CallSession audio', () => {
  it('asks for audio with redundancy (RED) on both sides where the browser has it', async () => {
    expect(RTCRtpReceiver.getCapabilities('audio')!.codecs.some((codec) => codec.mimeType === 'audio/red')).to.equal(
      true,
    );
    const room = uniqueRoom();
    const streams = await Promise.all(
      [0, 1].map(() => navigator.mediaDevices.getUserMedia({ audio: true, video: false })),
    );
    const [a, b] = streams.map(
      (localStream) => new CallSession({ signaling: new BroadcastChannelSignaling(), room, localStream }),
    );
    try {
      await Promise.all([a.join(), b.join()]);
      await waitFor(() => a.state === 'connected' && b.state === 'connected', 15_000, 'both connected');
      // Each side's own description tells the other what to send: RED first on both. (getStats names the inner codec,
      // Opus, for RED packets; their size shows it: ~87 bytes a packet against ~52 for plain Opus here.)
      for (const session of [a, b])
        expect(firstAudioCodec(session.peerConnection!.localDescription!.sdp)).to.equal('red');
    } finally {
      a.destroy();
      b.destroy();
      for (const stream of streams) stream.getTracks().forEach((track) => track.stop());
    }
  });
});
