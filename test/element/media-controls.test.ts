import { expect } from '@open-wc/testing';
import { frameBrightness, nextEvent, remoteVideo, waitFor, waitForFrames, waitForJoined, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

describe('<p2p-call> microphone and camera controls', () => {
  it('muting and turning the camera off reach the other side (state and black frames)', async () => {
    const { a, b } = await callPair('broadcast');
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    await waitForFrames(remoteVideo(b), 5);
    expect(frameBrightness(remoteVideo(b))).to.be.greaterThan(20);

    const muted = nextEvent(b, 'p2p-remote-media');
    a.muted = true;
    expect((await muted).detail).to.deep.equal({ muted: true, cameraOff: false });
    expect(a.outgoingStream!.getAudioTracks().every((track) => !track.enabled)).to.equal(true);
    expect(a.hasAttribute('muted')).to.equal(true);

    const cameraOff = nextEvent(b, 'p2p-remote-media');
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="camera-button"]')!.click();
    expect((await cameraOff).detail).to.deep.equal({ muted: true, cameraOff: true });
    expect(a.getAttribute('camera-off')).to.equal('');
    // A disabled video track is sent as black frames: the remote picture goes dark.
    await waitFor(() => frameBrightness(remoteVideo(b)) < 5, 10_000, 'black remote frames');
    expect(b.shadowRoot!.querySelector('.remote-label')!.textContent).to.contain('Camera off');

    let latest = {};
    b.addEventListener('p2p-remote-media', (event) => (latest = event.detail));
    a.removeAttribute('camera-off');
    a.removeAttribute('muted');
    await waitFor(() => JSON.stringify(latest) === '{"muted":false,"cameraOff":false}', 5000, 'unmuted, camera on');
    await waitFor(() => frameBrightness(remoteVideo(b)) > 20, 10_000, 'bright remote frames again');
  });

  it('starts muted with the camera off when the attributes are set before joining', async () => {
    const { a, b } = await callPair('broadcast', { autoJoin: false });
    a.muted = true;
    a.cameraOff = true;
    void a.join();
    void b.join();
    const remoteMedia = nextEvent(b, 'p2p-remote-media');
    await waitForState(b, 'connected');
    expect((await remoteMedia).detail).to.deep.equal({ muted: true, cameraOff: true });
    expect(a.outgoingStream!.getVideoTracks()[0].enabled).to.equal(false);
  });

  it("mutes the other person only when the browser refuses sound, not when a newer stream's load interrupts play()", async () => {
    const { b } = await callPair('broadcast');
    await waitForState(b, 'connected');
    const video = remoteVideo(b);
    await waitForFrames(video, 2);
    const play = video.play.bind(video);
    const refuseOnce = (name: string) => {
      video.play = () => {
        video.play = play;
        return Promise.reject(new DOMException('refused in the test', name));
      };
      video.dispatchEvent(new Event('loadedmetadata'));
    };
    const soundButton = () => b.shadowRoot!.querySelector('[part="sound-button"]');
    expect(video.muted).to.equal(false, 'with sound to begin with');
    refuseOnce('AbortError');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.updateComplete;
    expect(video.muted).to.equal(false, 'an interrupted play() is not an autoplay refusal');
    expect(soundButton()).to.equal(null);
    refuseOnce('NotAllowedError');
    await waitFor(() => video.muted, 2000, 'muted after the refusal');
    await b.updateComplete;
    expect(soundButton()).to.not.equal(null, 'the person is offered sound');
  });

  it('mic and camera buttons are labelled toggles with a pressed state', async () => {
    const { a } = await callPair('broadcast');
    await waitForJoined(a); // `waiting` lasts only milliseconds with the other person joining too
    const mic = a.shadowRoot!.querySelector<HTMLButtonElement>('[part="mic-button"]')!;
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    expect(mic.getAttribute('aria-label')).to.equal('Mute microphone');
    mic.click();
    await a.updateComplete;
    expect(mic.getAttribute('aria-pressed')).to.equal('true');
    expect(mic.getAttribute('aria-label')).to.equal('Unmute microphone');
    expect(a.muted).to.equal(true);
  });
});
