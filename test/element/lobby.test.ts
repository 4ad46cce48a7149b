import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import { liveTracks, nextEvent, remoteVideo, uniqueRoom, waitFor, waitForFrames, waitForJoined, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

const part = <T extends Element = HTMLElement>(call: P2PCall, name: string) => call.shadowRoot!.querySelector<T>(`[part~="${name}"]`);
const optionLabels = (select: HTMLSelectElement | null) => [...(select?.options ?? [])].map((option) => option.textContent!.trim());
const previewStream = (call: P2PCall) => part<HTMLVideoElement>(call, 'preview-video')?.srcObject as MediaStream | null;

/** Counts getUserMedia calls from now until restore(). */
function countCaptures(): { count: number; restore: () => void } {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia;
  const counter = {
    count: 0,
    restore: () => {
      devices.getUserMedia = original;
    },
  };
  devices.getUserMedia = (constraints?: MediaStreamConstraints) => {
    counter.count++;
    return original.call(devices, constraints);
  };
  return counter;
}

async function lobbyReady(call: P2PCall): Promise<void> {
  await waitFor(() => Boolean(part(call, 'camera-select')) && liveTracks(previewStream(call) ?? undefined).length === 2, 15_000, 'the lobby preview');
}

describe('<p2p-call> pre-join lobby', () => {
  it('previews the camera, meters the microphone and lists the fake devices in pickers', async () => {
    const call = await fixture<P2PCall>(html`<p2p-call room=${uniqueRoom()} signaling="broadcast" name="Ada"></p2p-call>`);
    await lobbyReady(call);
    expect(call.state).to.equal('idle');
    await waitForFrames(part<HTMLVideoElement>(call, 'preview-video')!, 3);
    expect(optionLabels(part(call, 'camera-select'))).to.include('fake_device_0');
    expect(optionLabels(part(call, 'microphone-select'))).to.include.members(['Fake Default Audio Input', 'Fake Audio Input 1', 'Fake Audio Input 2']);
    expect(optionLabels(part(call, 'speaker-select'))).to.include('Fake Audio Output 1'); // setSinkId exists in Chromium
    // The fake microphone plays a beep: the meter moves without any re-render.
    const meter = part<HTMLMeterElement>(call, 'mic-level')!;
    await waitFor(() => meter.value > 0, 10_000, 'a microphone level');
    expect(part<HTMLInputElement>(call, 'name-input')!.value).to.equal('Ada');
    await expect(call).to.be.accessible();
  });

  it('picking a microphone re-opens the preview with it, and Join hands the preview to the call without a second capture', async () => {
    const call = await fixture<P2PCall>(html`<p2p-call room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
    await lobbyReady(call);
    const select = part<HTMLSelectElement>(call, 'microphone-select')!;
    const wanted = [...select.options].find((option) => option.textContent!.trim() === 'Fake Audio Input 2')!.value;
    const first = previewStream(call)!;
    select.value = wanted;
    select.dispatchEvent(new Event('change'));
    await waitFor(() => previewStream(call) !== first && liveTracks(previewStream(call)!).length === 2, 10_000, 'a new preview');
    expect(liveTracks(first)).to.have.length(0);
    expect(previewStream(call)!.getAudioTracks()[0].getSettings().deviceId).to.equal(wanted);

    const name = part<HTMLInputElement>(call, 'name-input')!;
    name.value = 'Grace';
    name.dispatchEvent(new Event('input'));
    const preview = previewStream(call)!;
    const captures = countCaptures();
    try {
      part<HTMLButtonElement>(call, 'join-button')!.click();
      await waitForState(call, 'waiting');
      expect(captures.count).to.equal(0); // no second getUserMedia: the call took the preview's devices over
    } finally {
      captures.restore();
    }
    expect(part(call, 'lobby')).to.equal(null);
    expect(call.name).to.equal('Grace');
    expect(call.outgoingStream!.getTracks().map((track) => track.id).sort()).to.deep.equal(preview.getTracks().map((track) => track.id).sort());
    expect(liveTracks(preview)).to.have.length(2); // still running, now the call's
    expect(call.outgoingStream!.getAudioTracks()[0].getSettings().deviceId).to.equal(wanted); // the pick carried over
    call.leave();
    expect(liveTracks(preview)).to.have.length(0); // leaving stops what the call took over
  });

  it('no-lobby and auto-join skip the lobby', async () => {
    const bare = await fixture<P2PCall>(html`<p2p-call no-lobby room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
    await bare.updateComplete;
    expect(part(bare, 'lobby')).to.equal(null);
    expect(part(bare, 'join-button')!.textContent).to.contain('Join call');
    const auto = await fixture<P2PCall>(html`<p2p-call auto-join room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
    await waitForState(auto, 'waiting');
    expect(part(auto, 'lobby')).to.equal(null);
    auto.leave();
  });

  it('explains a blocked camera and microphone with the steps for this browser, and offers to retry', async () => {
    const iframe = await fixture<HTMLIFrameElement>(
      html`<iframe allow="camera 'none'; microphone 'none'" src=${`/test/fixtures/element-page.html?room=${uniqueRoom()}&autoJoin=0`} style="width:640px;height:420px"></iframe>`,
    );
    await waitFor(() => Boolean(iframe.contentDocument?.querySelector('p2p-call')?.shadowRoot?.querySelector('[part="problem"]')), 15_000, 'the problem screen');
    const call = iframe.contentDocument!.querySelector('p2p-call') as P2PCall;
    const problem = part(call, 'problem')!;
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(problem.dataset.code).to.equal('permission-denied');
    expect(problem.textContent).to.contain('Camera and microphone are blocked');
    expect(problem.textContent).to.contain('camera icon at the right end of the address bar'); // Chromium's steps
    expect(part(call, 'retry-button')).to.not.equal(null);
    expect(part(call, 'join-button')).to.not.equal(null); // joining receive-only stays possible
  });

  it('switches the camera and microphone during the call without renegotiating', async () => {
    const { a, b } = await callPair('broadcast');
    await waitForState(a, 'connected');
    await waitForState(b, 'connected');
    await waitFor(() => Boolean(b.remoteStream?.getVideoTracks().length), 10_000, 'remote video');
    const received = b.remoteStream!.getTracks();
    const before = { audio: a.outgoingStream!.getAudioTracks()[0], video: a.outgoingStream!.getVideoTracks()[0] };
    let negotiations = 0;
    a.addEventListener('p2p-state-change', () => negotiations++);

    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="settings-button"]')!.click();
    await waitFor(() => optionLabels(part(a, 'microphone-select')).length === 3, 10_000, 'settings pickers');
    const mic = part<HTMLSelectElement>(a, 'microphone-select')!;
    const wanted = [...mic.options].find((option) => option.textContent!.trim() === 'Fake Audio Input 1')!.value;
    mic.value = wanted;
    mic.dispatchEvent(new Event('change'));
    await waitFor(() => a.outgoingStream!.getAudioTracks()[0] !== before.audio, 10_000, 'the new microphone');
    expect(a.outgoingStream!.getAudioTracks()[0].getSettings().deviceId).to.equal(wanted);
    expect(before.audio.readyState).to.equal('ended'); // the old device is released

    const camera = part<HTMLSelectElement>(a, 'camera-select')!;
    camera.dispatchEvent(new Event('change')); // the one fake camera, captured afresh
    await waitFor(() => a.outgoingStream!.getVideoTracks()[0] !== before.video, 10_000, 'the new camera track');
    expect(before.video.readyState).to.equal('ended');
    expect(a.outgoingStream!.getTracks()).to.have.length(2);
    // Same receiving tracks on the other side (replaceTrack), frames keep coming, no state change on either side.
    expect(b.remoteStream!.getTracks()).to.deep.equal(received);
    await waitForFrames(remoteVideo(b), 5);
    expect(negotiations).to.equal(0);
    expect(a.state).to.equal('connected');
  });

  it('reports a switch it cannot make as a recoverable error and keeps the device', async () => {
    const { a } = await callPair('broadcast');
    await waitForJoined(a); // `waiting` lasts only milliseconds with the other person joining too
    const track = a.outgoingStream!.getAudioTracks()[0];
    const error = nextEvent(a, 'p2p-error');
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="settings-button"]')!.click();
    await waitFor(() => Boolean(part(a, 'microphone-select')), 10_000, 'settings pickers');
    const mic = part<HTMLSelectElement>(a, 'microphone-select')!;
    mic.append(new Option('Unplugged', 'no-such-device'));
    mic.value = 'no-such-device';
    mic.dispatchEvent(new Event('change'));
    expect((await error).detail).to.include({ code: 'no-device', recoverable: true });
    expect(a.outgoingStream!.getAudioTracks()[0]).to.equal(track);
    expect(track.readyState).to.equal('live');
  });

  it('captures afresh on Join when the preview has nothing live to hand over', async () => {
    const call = await fixture<P2PCall>(html`<p2p-call room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
    await lobbyReady(call);
    const preview = previewStream(call)!;
    for (const track of preview.getTracks()) track.stop(); // as if both devices were unplugged in the lobby
    const captures = countCaptures();
    try {
      part<HTMLButtonElement>(call, 'join-button')!.click();
      await waitForState(call, 'waiting');
      expect(captures.count).to.equal(1);
    } finally {
      captures.restore();
    }
    expect(liveTracks(call.outgoingStream!)).to.have.length(2);
    call.leave();
  });

  it('Join while the preview is still opening waits for it instead of asking for the devices twice at once', async () => {
    const captures = countCaptures();
    try {
      const call = await fixture<P2PCall>(html`<p2p-call room=${uniqueRoom()} signaling="broadcast"></p2p-call>`);
      await call.updateComplete; // the preview is opening
      expect(part(call, 'lobby')).to.not.equal(null);
      void call.join();
      await waitForState(call, 'waiting', 30_000);
      expect(captures.count).to.equal(1);
      expect(liveTracks(call.outgoingStream!)).to.have.length(2);
      call.leave();
      expect(liveTracks(call.outgoingStream!)).to.have.length(0);
    } finally {
      captures.restore();
    }
  });

  // Last: in headless Chromium a later getUserMedia could stall for good once the fake output was switched.
  it('routes the remote audio to the picked speaker', async () => {
    const { a } = await callPair('broadcast');
    await waitForState(a, 'connected');
    a.shadowRoot!.querySelector<HTMLButtonElement>('[part="settings-button"]')!.click();
    await waitFor(() => optionLabels(part(a, 'speaker-select')).length > 1, 10_000, 'speaker picker');
    const speaker = part<HTMLSelectElement>(a, 'speaker-select')!;
    const wanted = [...speaker.options].find((option) => option.textContent!.trim() === 'Fake Audio Output 2')!.value;
    speaker.value = wanted;
    speaker.dispatchEvent(new Event('change'));
    await waitFor(() => (remoteVideo(a) as HTMLVideoElement & { sinkId: string }).sinkId === wanted, 10_000, 'the sink');
  });
});
