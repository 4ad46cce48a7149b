import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallEventMap } from '../../../src/session/call-events.js';
import { LocalMedia, type LocalMediaOptions } from '../../../src/session/local-media.js';
import { asDevices, asStream, FakeDevices, FakeStream, FakeTrack } from '../support/fake-media.js';

function localMedia(options: Partial<LocalMediaOptions> = {}) {
  const devices = new FakeDevices();
  const seen = {
    events: [] as Array<{ name: string; detail: unknown }>,
    replaced: [] as MediaStreamTrack[],
    changed: 0,
  };
  const media = new LocalMedia(
    { mediaDevices: asDevices(devices), ...options },
    {
      emit: <K extends keyof CallEventMap>(name: K, detail: CallEventMap[K]) => seen.events.push({ name, detail }),
      trackReplaced: (track) => seen.replaced.push(track),
      changed: () => (seen.changed += 1),
    },
  );
  return { media, devices, seen };
}

describe('LocalMedia', () => {
  it('captures camera and microphone, mutes by disabling tracks, and announces each change once', async () => {
    const { media, seen } = localMedia();
    media.adopt(await media.acquire());
    const [audio] = media.stream!.getAudioTracks();
    const [video] = media.stream!.getVideoTracks();
    seen.events.length = 0;
    seen.changed = 0;
    media.set({ muted: true, cameraOff: true });
    assert.equal(audio.enabled, false);
    assert.equal(video.enabled, false);
    assert.deepEqual(seen.events, [{ name: 'local-media', detail: { muted: true, cameraOff: true } }]);
    assert.equal(seen.changed, 1);
    assert.deepEqual(media.announcement, { muted: true, cameraOff: true, stream: media.stream!.id });
  });

  it('uses a host stream as it is, and never stops it', async () => {
    const track = new FakeTrack('video');
    const host = new FakeStream([track]);
    const { media, devices } = localMedia({ localStream: asStream(host) });
    media.adopt(await media.acquire());
    assert.equal(devices.requests.length, 0);
    assert.equal(media.muted, true, 'no microphone: muted');
    media.release();
    assert.equal(track.readyState, 'live');
  });

  it('takes the lobby’s capture over instead of asking again, and stops it when the call ends', async () => {
    const lobby = new FakeStream([new FakeTrack('audio'), new FakeTrack('video')]);
    const { media, devices } = localMedia({
      capturedMedia: Promise.resolve({ stream: asStream(lobby), warnings: [] }),
    });
    media.adopt(await media.acquire());
    assert.equal(devices.requests.length, 0);
    assert.equal(media.stream, asStream(lobby));
    media.release();
    assert.ok(lobby.getTracks().every((track) => track.readyState === 'ended'));
  });

  it('switches a device on the same stream, keeping camera-off, and releases the old one', async () => {
    const { media, seen } = localMedia({ cameraOff: true });
    media.adopt(await media.acquire());
    const [old] = media.stream!.getVideoTracks();
    await media.switchDevice('camera', 'usb-cam');
    const [now] = media.stream!.getVideoTracks() as unknown as FakeTrack[];
    assert.equal(now.deviceId, 'usb-cam');
    assert.equal(now.enabled, false, 'still camera-off');
    assert.equal(old.readyState, 'ended');
    assert.deepEqual(seen.replaced, [now]);
  });

  it('of two quick switches, only the later lands; the earlier device is released', async () => {
    const { media, devices } = localMedia();
    media.adopt(await media.acquire());
    devices.autoAnswer = false;
    const first = media.switchDevice('microphone', 'headset');
    const second = media.switchDevice('microphone', 'desk-mic');
    const [headset, desk] = [new FakeTrack('audio', 'headset'), new FakeTrack('audio', 'desk-mic')];
    devices.requests.at(-1)!.answer(new FakeStream([desk]));
    devices.requests.at(-2)!.answer(new FakeStream([headset]));
    await Promise.all([first, second]);
    assert.deepEqual(media.stream!.getAudioTracks(), [desk]);
    assert.equal(headset.readyState, 'ended');
  });

  it('refuses to switch a host’s stream with a recoverable invalid-config error', async () => {
    const { media, seen } = localMedia({ localStream: asStream(new FakeStream([new FakeTrack('video')])) });
    media.adopt(await media.acquire());
    await media.switchDevice('camera', 'x');
    assert.ok(
      seen.events.some(
        (event) => event.name === 'error' && (event.detail as { code: string }).code === 'invalid-config',
      ),
    );
  });
});
