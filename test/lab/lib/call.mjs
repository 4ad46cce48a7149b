// One call between two lab pages: both join the same fresh room with the same settings, and the call is watched
// until both sides are connected (with a route reported) or have reported an error, or until its deadline. Returns
// what happened, measured; judging it is the caller's business (expectations.mjs).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { closePage, openLabPage, pollPages } from './pages.mjs';
import { saysPath } from './route-truth.mjs';

/** How long a connected call is given to show decoded frames on both sides. */
const FRAMES_TIMEOUT_MS = 8000;

/**
 * `ice`: which ICE servers the pages get and from where —
 *   none       ice-servers="[]" (the element's default), the server without TURN;
 *   stun       coturn's STUN in ice-servers, the server without TURN;
 *   turn       coturn's STUN in ice-servers, TURN credentials minted by the signaling server with `joined`;
 *   turn-attr  STUN and TURN (REST credentials the host page made) in ice-servers, the server without TURN.
 */
export function callSettings(lab, ice) {
  const plain = lab.signaling;
  switch (ice) {
    case 'none':
      return { server: plain, iceServers: [] };
    case 'stun':
      return { server: plain, iceServers: lab.iceServers() };
    case 'turn':
      return { server: lab.signalingTurn, iceServers: lab.iceServers() };
    case 'turn-attr':
      return { server: plain, iceServers: lab.iceServers({ turn: true }) };
    default:
      throw new Error(`unknown ICE setting ${ice}`);
  }
}

/**
 * An error that ends the attempt. A missing-TURN warning under relay="only" does not (the call goes on), unless the
 * caller expects it (`endsWith`): it is how a call that can never connect says so.
 */
export const isFinalError = (error, endsWith = []) =>
  endsWith.includes(error.code) || !(error.code === 'invalid-config' && error.recoverable);

/**
 * @param lab the Lab
 * @param sides [{ client, kind }] for side a and side b
 * @param options { ice, relay, timeoutMs, receiveOnly (no camera or microphone: nothing to encode), keepOpen,
 *   endsWith (error codes that end the attempt), recoveryTimeout (the element's, ms), camera (video constraints of
 *   a camera stream the page gives the element, instead of the element's own 720p request), expectDirect (the
 *   route should be direct: a relayed call is given the time the element takes to move off an unneeded relay) }
 */
export async function runCall(
  lab,
  sides,
  {
    ice,
    relay,
    timeoutMs,
    receiveOnly = false,
    keepOpen = false,
    endsWith = [],
    recoveryTimeout,
    camera,
    expectDirect,
  },
) {
  const { server, iceServers } = callSettings(lab, ice);
  const pages = [];
  try {
    pages.push(...(await Promise.all(sides.map(async (side) => openLabPage(await lab.browserFor(side), server.page)))));
    const room = `lab-${randomBytes(6).toString('hex')}`;
    const joinedAt = Date.now();
    await Promise.all(
      pages.map((page, i) =>
        page.page.evaluate((options) => window.lab.join(options), {
          signaling: server.url,
          room,
          name: `side-${'ab'[i]}`,
          iceServers,
          relay,
          receiveOnly,
          recoveryTimeout,
          camera,
        }),
      ),
    );
    const settled = (s) => (s.state === 'connected' && s.routes > 0) || s.errors.some((e) => isFinalError(e, endsWith));
    const { timedOut } = await pollPages(
      pages,
      () => window.lab.snapshot(),
      (values) => values.every(settled),
      {
        timeoutMs,
        intervalMs: 200,
      },
    );
    const settledAt = Date.now();
    const read = () =>
      Promise.all(
        pages.map((page) => page.page.evaluate(() => ({ ...window.lab.record, timeline: window.lab.timeline }))),
      );
    let records = await read();
    const connected = records.every((r) => r.states.at(-1)?.state === 'connected' && r.routes.length > 0);
    let frames;
    let stats;
    let pairs;
    const recoveries = (list) => list.reduce((sum, record) => sum + record.reconnecting.length, 0);
    // A side that judged the path lost has replaced the connection: on this 2-core machine a page starved for a second
    // sends nothing, and the other side, still sending, cannot tell that from a dead path. The route to judge is then
    // the new connection's, once it is up; the table says the call recovered. Such a recovery can begin at any moment
    // of the checks, the reads of the route included: whenever one began, the call is settled and read again.
    for (let rounds = 0; ; rounds += 1) {
      const seen = recoveries(records);
      if (connected) {
        if (rounds > 0 || seen > 0) {
          await pollPages(
            pages,
            () => window.lab.state(),
            (states) => states.every((s) => s === 'connected'),
            { timeoutMs, intervalMs: 200 },
          );
        }
        frames = await settleCall(pages, expectDirect);
        // Read again once video flows: the route as it stands (a pair can still change after the first report, and
        // the other side's word for a peer-reflexive end arrives over the data channel) and relay candidates that
        // arrived after the path was up (a TURN allocation over TLS takes longest).
        records = await read();
      }
      stats = await Promise.all(
        pages.map((page) => page.page.evaluate(() => window.lab.stats()).catch((error) => ({ error: error.message }))),
      );
      // Every candidate pair and its checks: what the route (or the failure to connect) is made of, for --json.
      pairs = await Promise.all(pages.map((page) => page.page.evaluate(() => window.lab.pairs()).catch(() => [])));
      if (!connected || rounds === 2) break;
      const latest = await read();
      if (recoveries(latest) === recoveries(records) && recoveries(records) === seen) break;
      records = latest;
    }
    const result = {
      // Still connected at the end (a recovery during the checks must have completed).
      connected: connected && records.every((r) => r.states.at(-1)?.state === 'connected'),
      timedOut,
      elapsedMs: settledAt - joinedAt,
      sides: records.map((record, i) => describeSide(record, stats[i], frames?.[i], pairs?.[i])),
      problems: pages.flatMap((page) => page.problems),
    };
    if (keepOpen) result.pages = pages;
    return result;
  } finally {
    if (!keepOpen) await Promise.all(pages.map(closePage));
  }
}

/** Once connected: video flowing both ways, the route settled, and the element's report of it caught up. */
async function settleCall(pages, expectDirect) {
  const frames = await waitForDecodedFrames(pages);
  await settleRoutes(pages, expectDirect);
  await waitForRouteReports(pages);
  return frames;
}

/** Decoded video frames on both sides (getStats: counts in background tabs too), until both move or time runs out. */
async function waitForDecodedFrames(pages) {
  const read = () => Promise.all(pages.map((page) => page.page.evaluate(() => window.lab.stats())));
  const first = await read();
  const deadline = Date.now() + FRAMES_TIMEOUT_MS;
  for (;;) {
    await sleep(250);
    const now = await read();
    const moved = now.map((s, i) => (s?.videoIn?.framesDecoded ?? 0) > (first[i]?.videoIn?.framesDecoded ?? 0));
    if (moved.every(Boolean) || Date.now() > deadline) {
      return now.map((s, i) => ({ moving: moved[i], decoded: s?.videoIn?.framesDecoded ?? 0 }));
    }
  }
}

/** How long the selected pairs must hold, on both sides, for the route to count as the call's (see settleRoutes). */
const ROUTE_STABLE_MS = 500;
const ROUTE_SETTLE_MS = 3000;
/**
 * Where a direct route is expected, how long a relayed call is watched for the element's move off the relay: two
 * quality samples (2 s apart) find the relay unneeded, then an ICE restart checks every pair again (route-upgrade.ts).
 */
const ROUTE_UPGRADE_MS = 9000;

/**
 * Waits (up to ROUTE_SETTLE_MS) until both sides' selected pairs agree on the route and hold for ROUTE_STABLE_MS: ICE
 * may start on a pair that answered first (the other side's relay, say) and move to a better one that answers later,
 * and the two sides can disagree meanwhile.
 */
async function settleRoutes(pages, expectDirect) {
  const started = Date.now();
  const deadline = started + ROUTE_SETTLE_MS;
  let last;
  let since = Date.now();
  for (;;) {
    const pairs = await Promise.all(
      pages.map((page) => page.page.evaluate(async () => (await window.lab.stats())?.pair)),
    );
    const key = JSON.stringify(pairs.map((pair) => [pair?.localAddress, pair?.remoteAddress]));
    if (key !== last) [last, since] = [key, Date.now()];
    const relayed = pairs.map((pair, i) => [pair?.local, pair?.remote, pairs[1 - i]?.local].includes('relay'));
    if (expectDirect && relayed.some(Boolean) && Date.now() < started + ROUTE_UPGRADE_MS) {
      await sleep(100);
      continue;
    }
    if ((relayed[0] === relayed[1] && Date.now() - since >= ROUTE_STABLE_MS) || Date.now() > deadline) return;
    await sleep(100);
  }
}

/**
 * How long the element may take to report a change of the selected pair: where the browser announces none (Firefox),
 * the element sees it in its next quality sample (every 2 s).
 */
const ROUTE_REPORT_MS = 2500;

/** Waits (up to ROUTE_REPORT_MS) until each side's last p2p-route names the pair getStats shows it on. */
async function waitForRouteReports(pages) {
  const deadline = Date.now() + ROUTE_REPORT_MS;
  for (;;) {
    const seen = await Promise.all(
      pages.map((page) =>
        page.page.evaluate(async () => ({
          pair: (await window.lab.stats())?.pair,
          said: window.lab.record.routes.at(-1),
        })),
      ),
    );
    const pairs = seen.map((side) => side.pair);
    if (seen.every((side, i) => saysPath(side.said, pairs, i)) || Date.now() > deadline) return;
    await sleep(200);
  }
}

function describeSide(record, stats, frames, pairs) {
  const connectedAt = record.states.find((s) => s.state === 'connected')?.at;
  const peerAt = record.peers.find((p) => p.event === 'p2p-peer-join')?.at;
  const route = record.routes.at(-1);
  return {
    state: record.states.at(-1)?.state,
    states: record.states.map((s) => s.state),
    /** join() to connected: what a person waits (camera, signaling, ICE, DTLS). */
    connectMs: connectedAt ? connectedAt - record.joinedAt : undefined,
    /** The other person seen to connected: the network's part (negotiation, ICE, DTLS). */
    peerToConnectedMs: connectedAt && peerAt ? connectedAt - peerAt : undefined,
    route: route
      ? { route: route.route, local: route.local, remote: route.remote, protocol: route.protocol }
      : undefined,
    pair: stats?.pair,
    /** Why there is no pair, when there is none: the page's getStats failed, or no connection had both descriptions. */
    noPair: stats?.pair
      ? undefined
      : (stats?.error ??
        (stats ? `none in the report of ${stats.pc} (ICE ${stats.iceState})` : 'no negotiated connection')),
    /** Per connection that started gathering: whether its configuration named a TURN server by then. */
    turnConfigured: turnConfiguredAtGathering(record.timeline),
    /** The relay candidates this side gathered, by how they reach the TURN server (udp, tcp, tls). */
    relayCandidates: [
      ...new Set(
        record.timeline
          .filter((event) => event.what === 'local-candidate' && event.type === 'relay')
          .map((event) => event.relayProtocol ?? '?'),
      ),
    ].sort(),
    errors: record.errors.map((e) => ({
      code: e.code,
      recoverable: e.recoverable,
      afterMs: e.at - record.joinedAt,
      message: e.message,
    })),
    reconnecting: record.reconnecting.map((r) => r.reason),
    frames,
    pairs,
    // Times relative to this side's join(), for the --json report.
    timeline: record.timeline.map(({ at, ...event }) => ({ t: at - record.joinedAt, ...event })),
  };
}

/** For each connection that started gathering: did the last configuration it had by then include a TURN URL? */
function turnConfiguredAtGathering(timeline) {
  const config = new Map();
  const result = new Map();
  for (const event of timeline) {
    if (event.what === 'pc-created' || event.what === 'pc-config') config.set(event.pc, event.turn > 0);
    else if (event.what === 'gathering' && event.state === 'gathering' && !result.has(event.pc))
      result.set(event.pc, config.get(event.pc));
  }
  return [...result.values()];
}
