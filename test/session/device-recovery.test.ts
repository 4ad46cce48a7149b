import { expect } from '@open-wc/testing';
import { BroadcastChannelSignaling, CallSession, type CallSessionOptions } from '../../src/index.js';
import { uniqueRoom, waitFor } from '../support/call-helpers.js';
import { framesFlow } from '../support/share-helpers.js';

/**
 * The browser's real devices, with a switch that makes the machine look as if it had no camera left (a laptop whose
 * only USB camera was pulled), and a `devicechange` when it is plugged back in. Every stream still comes from the
 * browser's own (fake) capture device.
 */
class PluggableDevices extends EventTarget {
  cameraPlugged = true;
  /** The person withdrew camera permission (the browser then refuses with NotAllowedError). */
  cameraAllowed = true;

  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    if (constraints.video && !this.cameraAllowed) {
      return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    }
    if (constraints.video && !this.cameraPlugged) {
      return Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
    }
    return navigator.mediaDevices.getUserMedia(constraints);
  }

  enumerateDevices(): Promise<MediaDeviceInfo[]> {
    return navigator.mediaDevices.enumerateDevices();
  }

  plugIn(): void {
    this.cameraPlugged = true;
    this.dispatchEvent(new Event('devicechange'));
  }
}

/** Unplugging as the page sees it: the track ends and says so (stop() alone fires no `ended` event). */
function unplug(track: MediaStreamTrack): void {
  track.stop();
  track.dispatchEvent(new Event('ended'));
}

async function callWithDevices(devices?: PluggableDevices) {
  const room = uniqueRoom();
  const options: Partial<CallSessionOptions> = { media: { audio: true, video: true } };
  const a = new CallSession({ signaling: new BroadcastChannelSignaling(), room, name: 'Ada', ...options, mediaDevices: devices as unknown as MediaDevices });
  const b = new CallSession({ signaling: new BroadcastChannelSignaling(), room, name: 'Grace', ...options });
  await Promise.all([a.join(), b.join()]);
  await waitFor(() => a.state === 'connected' && b.state === 'connected' && Boolean(b.remoteStream), 30_000, 'connected');
  return { a, b, close: () => [a, b].forEach((session) => session.destroy()) };
}

describe('CallSession devices mid-call', () => {
  it('a camera that goes away is replaced by another on the same sender, without renegotiation', async () => {
    const { a, b, close } = await callWithDevices();
    const pc = a.peerConnection!;
    const senders = pc.getSenders().length;
    const videoSender = pc.getSenders().find((sender) => sender.track?.kind === 'video')!;
    const old = a.localStream!.getVideoTracks()[0];
    let offers = 0;
    pc.addEventListener('signalingstatechange', () => pc.signalingState === 'have-local-offer' && offers++);

    unplug(old);
    await waitFor(() => a.localStream!.getVideoTracks()[0]?.readyState === 'live' && a.localStream!.getVideoTracks()[0] !== old, 10_000, 'a new camera track');
    const fresh = a.localStream!.getVideoTracks()[0];
    await waitFor(() => videoSender.track === fresh, 5000, 'the same sender carrying the new track'); // replaceTrack is async
    expect(pc.getSenders()).to.have.length(senders);
    expect(a.localStream!.getVideoTracks()).to.have.length(1);
    await framesFlow(b.remoteStream!, 5, 'video after the swap');
    expect(offers).to.equal(0);
    expect(pc.signalingState).to.equal('stable');
    expect(a.cameraOff).to.equal(false);
    close();
  });

  it('with no camera left the call goes on without video, says so, and picks the camera up when it is back', async () => {
    const devices = new PluggableDevices();
    const { a, b, close } = await callWithDevices(devices);
    const errors: string[] = [];
    a.events.on('error', ({ code, recoverable }) => errors.push(`${code}/${recoverable}`));
    const remoteMedia: boolean[] = [];
    b.events.on('remote-media', ({ cameraOff }) => remoteMedia.push(cameraOff));

    devices.cameraPlugged = false;
    unplug(a.localStream!.getVideoTracks()[0]);
    await waitFor(() => errors.includes('no-device/true'), 10_000, 'the no-device report');
    expect(a.state).to.equal('connected');
    expect(a.cameraOff).to.equal(true);
    await waitFor(() => remoteMedia.at(-1) === true, 5000, 'the peer told: camera off');
    expect(a.localStream!.getAudioTracks()[0].readyState).to.equal('live'); // the microphone is untouched

    devices.plugIn();
    await waitFor(() => a.localStream!.getVideoTracks()[0]?.readyState === 'live', 10_000, 'the camera back');
    await waitFor(() => remoteMedia.at(-1) === false, 5000, 'the peer told: camera on');
    await framesFlow(b.remoteStream!, 5, 'video after plugging back in');
    expect(errors.filter((error) => error.startsWith('no-device'))).to.have.length(1);
    close();
  });

  it('camera permission withdrawn mid-call is reported as permission-denied; the call goes on', async () => {
    const devices = new PluggableDevices();
    const { a, close } = await callWithDevices(devices);
    const errors: { code: string; recoverable: boolean; message: string }[] = [];
    a.events.on('error', (detail) => errors.push(detail));

    devices.cameraAllowed = false;
    unplug(a.localStream!.getVideoTracks()[0]); // Chrome ends the tracks when permission is withdrawn
    await waitFor(() => errors.length > 0, 10_000, 'the report');
    expect(errors[0]).to.include({ code: 'permission-denied', recoverable: true });
    expect(errors[0].message).to.match(/camera/i);
    expect(a.state).to.equal('connected');
    expect(a.cameraOff).to.equal(true);
    close();
  });
});
