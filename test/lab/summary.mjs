// The summary tables of a run, as rows (a header row first): printed as text at the end of a run (run.mjs) and as
// Markdown from a run's --json report (report.mjs, for docs/network-lab.md).
import { isFinalError } from './lib/call.mjs';
import { FAIL_TIMEOUT_MS } from './matrix.mjs';

export function impairmentRows(rows) {
  const header = [
    'impairment',
    'direction',
    'audio lost',
    'concealed',
    'no-audio s',
    'video height',
    'fps med/min',
    'freezes',
    'longest stall',
    'limited by',
    'p2p-quality',
    'status',
  ];
  const levels = (counts) =>
    Object.entries(counts)
      .map(([level, n]) => `${level} ${n}`)
      .join(', ') || '-';
  return [
    header,
    ...rows.flatMap(({ name, impairment, status }) =>
      impairment.directions.map((d, i) => [
        i === 0 ? name : '',
        i === 0 ? 'home -> roam' : 'roam -> home',
        `${d.audio.lossPercent ?? '-'} %`,
        `${d.audio.concealedPercent ?? '-'} %`,
        String(d.audio.secondsWithoutAudio),
        `${d.video.heightStart ?? '-'} > min ${d.video.heightMin ?? '-'} > ${d.video.heightEnd ?? '-'}`,
        `${d.video.fpsMedian ?? '-'} / ${d.video.fpsMin ?? '-'}`,
        `${d.video.freezes} (${d.video.freezeSeconds} s)`,
        `${(d.video.longestStallMs / 1000).toFixed(0)} s`,
        levels(d.video.senderLimitedBy),
        `${levels(d.element.levels)}; loss ${d.element.lossMedianPercent ?? '-'} %`,
        i === 0 ? status : '',
      ]),
    ),
  ];
}

export function changeRows(rows) {
  const ms = (value) => (value === undefined ? 'never' : value === 0 ? 'kept' : `${(value / 1000).toFixed(1)} s`);
  const header = [
    'change',
    'side',
    'frames back',
    'decoded back',
    'connected back',
    'reconnecting',
    'socket reopened',
    'state',
    'status',
  ];
  return [
    header,
    ...rows.flatMap(({ name, change, status }) =>
      (change.sides ?? []).map((side, i) => [
        i === 0 ? name : '',
        i === 0 ? 'roam' : 'home',
        ms(side.framesBackMs),
        ms(side.decodedBackMs),
        ms(side.connectedBackMs),
        side.reconnecting.map((r) => `${r.reason} @${(r.afterMs / 1000).toFixed(1)} s`).join(', ') || '-',
        side.socketReopenedMs === undefined ? 'no' : `${(side.socketReopenedMs / 1000).toFixed(1)} s`,
        `${side.state}${side.errors.length ? ` (${side.errors.map((e) => e.code).join(',')})` : ''}`,
        i === 0 ? status : '',
      ]),
    ),
  ];
}

/** A first frame more than this long after `connected` is explained on its own line under the change table. */
const SLOW_FIRST_FRAME_MS = 500;

/**
 * For each side whose frames came back long after its connection did: when its new connection saw its first packet,
 * its first assembled frame and its first decoded frame, the PLIs it had sent by then, and when the other side's
 * video sender encoded its first frame and sent its first packet on that connection.
 */
export function slowFirstFrames(rows) {
  const s = (ms) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  return rows.flatMap(({ name, change }) =>
    (change?.sides ?? []).flatMap((side, i, sides) => {
      const lag = side.framesBackMs === undefined ? undefined : side.framesBackMs - (side.connectedBackMs ?? 0);
      const media = side.newConnection;
      const other = sides[1 - i]?.newConnection;
      if ((lag !== undefined && lag <= SLOW_FIRST_FRAME_MS) || !media) return [];
      const frames = lag === undefined ? 'frames never came back' : `frames ${s(lag)} after connected`;
      return [
        `  ${name} ${i === 0 ? 'roam' : 'home'}: ${frames}; on the new connection the first ` +
          `packet came at ${s(media.firstPacketMs)}, the first assembled frame at ${s(media.firstFrameReceivedMs)}, ` +
          `the first decoded at ${s(media.firstDecodedMs)} (${media.plisByFirstDecoded ?? 0} PLIs, ` +
          `${media.nacksByFirstDecoded ?? 0} NACKs by then); the other side encoded its first frame at ` +
          `${s(other?.firstEncodedMs)} and sent its first packet at ${s(other?.firstSentMs)}; its player counted ` +
          `frames again at ${s(side.countedBackMs)}` +
          (side.player?.length
            ? `; the video meanwhile: ${side.player
                .filter((state) => state.afterMs >= 0)
                .map(
                  (state) =>
                    `${s(state.afterMs)} ${state.paused ? 'paused' : 'playing'} ready ${state.readyState} ${state.size} in ${state.box}`,
                )
                .join(', ')}`
            : ''),
      ];
    }),
  );
}

export function matrixRows(rows) {
  const side = (s) =>
    s.route
      ? `${s.route.route} ${s.route.local}>${s.route.remote} ${s.route.protocol}${s.pair?.relayProtocol && s.pair.local === 'relay' ? `(${s.pair.relayProtocol})` : ''}${s.pair?.from === 'nominated' ? ' [getStats: nominated pair]' : ''}`
      : '-';
  return [
    ['cell', 'expected', 'outcome', 'side a route', 'side b route', 'join>conn ms', 'peer>conn ms', 'status'],
    ...rows.map(({ cell, result, status }) => {
      const connectMs = result.connected ? Math.max(...result.sides.map((s) => s.connectMs)) : '';
      const networkMs = result.connected ? Math.max(...result.sides.map((s) => s.peerToConnectedMs ?? NaN)) : '';
      const endsWith = cell.expected.error ? [cell.expected.error] : [];
      const errors = result.sides.map((s) => s.errors.find((e) => isFinalError(e, endsWith)));
      const recovered = [...new Set(result.sides.flatMap((s) => s.reconnecting ?? []))];
      const outcome = result.connected
        ? `connected${recovered.length ? `, recovered (${recovered.join(', ')})` : ''}`
        : errors.every(Boolean)
          ? `${errors[0].code} @${(Math.max(...errors.map((e) => e.afterMs)) / 1000).toFixed(1)} s`
          : `no error in ${FAIL_TIMEOUT_MS / 1000} s`;
      const expected = cell.expected.connects ? cell.expected.route : 'error';
      return [
        cell.id,
        expected,
        outcome,
        side(result.sides[0]),
        side(result.sides[1]),
        String(connectMs),
        String(networkMs),
        status,
      ];
    }),
  ];
}
