// The lab's summary lines under the network-change table: a first frame long after `connected` is explained.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slowFirstFrames } from '../lab/summary.mjs';

const side = (framesBackMs, connectedBackMs, newConnection, extra = {}) => ({
  framesBackMs,
  connectedBackMs,
  newConnection,
  ...extra,
});
/** What the page's player counted and was meanwhile (a frozen picture: decoded on time, shown only later). */
const player = {
  countedBackMs: 4410,
  player: [
    { afterMs: -200, paused: false, readyState: 4, size: '1280x720', box: '784x426' },
    { afterMs: 1300, paused: true, readyState: 0, size: '0x0', box: '784x426' },
    { afterMs: 2300, paused: false, readyState: 4, size: '640x360', box: '784x426' },
  ],
};
const media = {
  firstPacketMs: 2300,
  firstFrameReceivedMs: 3080,
  firstDecodedMs: 4230,
  plisByFirstDecoded: 2,
  firstEncodedMs: 2150,
  firstSentMs: 2190,
};

describe('lab summary: slow first frames after a network change', () => {
  it('explains a side whose frames came back long after its connection, and only that side', () => {
    const lines = slowFirstFrames([
      {
        name: 'network-change/address',
        change: { sides: [side(4471, 2546, media, player), side(2400, 2300, media, player)] },
      },
    ]);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /network-change\/address roam: frames 1\.9 s after connected/);
    assert.match(
      lines[0],
      /first packet came at 2\.3 s, the first assembled frame at 3\.1 s, the first decoded at 4\.2 s/,
    );
    assert.match(lines[0], /\(2 PLIs, 0 NACKs by then\)/);
    assert.match(lines[0], /the other side encoded its first frame at 2\.1 s and sent its first packet at 2\.2 s;/);
    assert.match(
      lines[0],
      /its player counted frames again at 4\.4 s; the video meanwhile: 1\.3 s paused ready 0 0x0 in 784x426, 2\.3 s playing ready 4 640x360 in 784x426$/,
      'the states from the change on',
    );
  });

  it('says "never" for a first frame that never came, and nothing for a change that did not run', () => {
    const lines = slowFirstFrames([
      { name: 'network-change/link', change: { sides: [side(undefined, 1800, { firstPacketMs: 1900 })] } },
      { name: 'network-change/route', change: undefined },
    ]);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /frames never came back; .* first packet came at 1\.9 s, the first assembled frame at never/,
    );
  });
});
