import { expect } from '@open-wc/testing';
import { listDevices, trackDeviceId } from '../../src/session/devices.js';
import { LevelMeter } from '../../src/session/level-meter.js';
import { acquireTrack } from '../../src/session/media.js';
import { waitFor } from '../support/call-helpers.js';

describe('devices and the level meter (session floor, no DOM)', () => {
  it('lists cameras, microphones and speakers once, without the communications alias', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const lists = await listDevices(navigator.mediaDevices);
    stream.getTracks().forEach((track) => track.stop());
    expect(lists.camera.map((device) => device.label)).to.include('fake_device_0');
    expect(lists.microphone.map((device) => device.label)).to.include('Fake Audio Input 1');
    expect(lists.speaker.length).to.be.greaterThan(0);
    for (const list of Object.values(lists)) {
      const ids = list.map((device) => device.id);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids).to.not.include('communications');
    }
    expect(await listDevices(undefined)).to.deep.equal({ camera: [], microphone: [], speaker: [] });
  });

  it('acquires exactly the picked microphone, and a missing one as no-device', async () => {
    const { microphone } = await listDevices(navigator.mediaDevices);
    const wanted = microphone.find((device) => device.label === 'Fake Audio Input 2')!;
    const track = await acquireTrack(navigator.mediaDevices, 'microphone', wanted.id);
    expect(trackDeviceId(track)).to.equal(wanted.id);
    track.stop();
    const error = await acquireTrack(navigator.mediaDevices, 'microphone', 'unplugged').catch((caught) => caught);
    expect(error).to.include({ name: 'P2PCallError', code: 'no-device', recoverable: true });
  });

  it('meters the fake microphone between 0 and 1 and releases its audio context on close', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const meter = new LevelMeter(stream.getAudioTracks()[0]);
    let peak = 0;
    await waitFor(() => {
      const level = meter.level();
      expect(level).to.be.within(0, 1);
      peak = Math.max(peak, level);
      return peak > 0; // the fake microphone beeps
    }, 10_000, 'a level above silence');
    meter.close();
    await waitFor(() => meter.closed, 5000, 'the audio context closed');
    stream.getTracks().forEach((track) => track.stop());
  });
});
