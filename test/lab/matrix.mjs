// The traversal matrix: which pairs of networks connect, by which route, with which ICE servers and relay policy;
// and how the calls that cannot connect end. Every cell states its expected outcome up front (expectationFor) and
// fails on any mismatch; known product bugs are listed in known-failures.mjs, never skipped.
import { setTimeout as sleep } from 'node:timers/promises';
import { isFinalError, runCall } from './lib/call.mjs';
import { PROFILE_NAMES } from './lib/profiles.mjs';
import { pathOf, saysPath } from './lib/route-truth.mjs';

/** A call expected to connect must do so (both sides connected, route reported) within this. */
export const CONNECT_TIMEOUT_MS = 15_000;
/**
 * A call that cannot connect must end with a typed p2p-error on both sides within this: the browser gives up on the
 * first connection after ~15 s of checks, and the session reports `unreachable` at once; plus a wide margin for a
 * loaded machine. It bounds the wait; the times measured are in the table.
 */
export const FAIL_TIMEOUT_MS = Number(process.env.LAB_FAIL_TIMEOUT_S ?? 40) * 1000;
/** Calls expected to connect run this many at a time (media on a 2-core machine). */
const CONNECTING_AT_ONCE = 2;
/**
 * Calls expected to fail carry no media (receive-only) and mostly wait out timeouts, so they run beside the connecting
 * ones, this many at a time, starting this far apart once the first connecting calls are under way: two dozen pages
 * loading at once starved the browsers (calls took 15 s to connect, pages 15 s to load). Each ends ~17 s after it
 * joins (`unreachable`), so three at a time are done well before the connecting half, with fewer pages loading at
 * once (five at a time, on a busy machine, saw page loads time out).
 */
const FAILING_AT_ONCE = 3;
const FAILING_START_MS = 3000;
const FAILING_STAGGER_MS = 2000;

/**
 * The camera of the matrix's calls: what a cell judges is the path and that frames arrive, not the picture. With the
 * element's own 720p request, two connecting calls (four encoders and four decoders) kept the 2-core machine busy
 * through the whole matrix (run queue 20-90) and a cell's frames or page load could run past their timeouts.
 */
const MATRIX_CAMERA = { width: 320, height: 180, frameRate: 15 };

const CLIENT_OF = { open: 'open', eim: 'eim', symmetric: 'sym', 'udp-blocked': 'udpb' };

/** Pairs that connect directly once each side knows its public address (STUN): no NAT in the way, or two EIM NATs. */
const DIRECT_WITH_STUN = new Set(['open+open', 'open+eim', 'open+symmetric', 'eim+eim']);

/**
 * The expected outcome of a cell, from how the profiles behave (profiles.mjs), not from what the code does today.
 * Browsers only make active ICE-TCP candidates, so two browsers never connect over TCP directly: a UDP-blocked side
 * needs a TURN relay reached over TCP or TLS, whoever the other side is.
 */
export function expectationFor({ profiles: [a, b], ice, relay }) {
  const turn = ice === 'turn' || ice === 'turn-attr';
  const udpBlocked = a === 'udp-blocked' || b === 'udp-blocked';
  const direct =
    ice === 'none'
      ? // Host candidates only: a NATed side is reached when it checks a public side, which learns its address.
        (a === 'open' || b === 'open') && !udpBlocked
      : DIRECT_WITH_STUN.has(`${a}+${b}`);
  // relay="only" with no TURN server anywhere can never connect: the element says so (invalid-config) at once.
  if (relay === 'only')
    return turn ? { connects: true, route: 'relay', localRelay: true } : { connects: false, error: 'invalid-config' };
  if (direct) return { connects: true, route: 'direct' };
  if (turn && relay !== 'forbid') return { connects: true, route: 'relay' };
  // Otherwise ICE fails on the first connection, and the element says at once that no path exists.
  return { connects: false, error: 'unreachable' };
}

const cellId = ({ profiles, kinds, ice, relay }) => {
  const side = (profile, kind) => (kind === 'chromium' ? profile : `${kind}:${profile}`);
  return `${side(profiles[0], kinds[0])}+${side(profiles[1], kinds[1])}/${ice}/${relay}`;
};

function cell(profiles, ice, relay, { kinds = ['chromium', 'chromium'], why } = {}) {
  const sides = profiles.map((profile, i) => ({
    profile,
    kind: kinds[i],
    client: `${CLIENT_OF[profile]}${i + 1}`,
  }));
  const spec = { profiles, kinds, ice, relay, sides, why };
  return { ...spec, id: cellId(spec), expected: expectationFor(spec) };
}

/** Every unordered pair of profiles (a+b is the same network situation as b+a). */
const PAIRS = PROFILE_NAMES.flatMap((a, i) => PROFILE_NAMES.slice(i).map((b) => [a, b]));

/**
 * The cells. Pruned where a cell would repeat another: `forbid` removes TURN and so is `stun` for ICE; it is run on
 * the pairs that need a relay (the error case) and on one direct pair. With `only`, a side's path depends on its own
 * network alone (everything goes to the TURN server): one pair per profile plus the mixed UDP-blocked case.
 */
export function matrixCells() {
  return [
    ...PAIRS.map((pair) => cell(pair, 'stun', 'allow')),
    ...PAIRS.map((pair) => cell(pair, 'turn', 'allow')),
    ...PAIRS.filter((pair) => !expectationFor({ profiles: pair, ice: 'stun', relay: 'allow' }).connects).map((pair) =>
      cell(pair, 'turn', 'forbid'),
    ),
    cell(['eim', 'eim'], 'turn', 'forbid'),
    ...[
      ['open', 'open'],
      ['eim', 'eim'],
      ['symmetric', 'symmetric'],
      ['udp-blocked', 'udp-blocked'],
      ['open', 'udp-blocked'],
    ].map((pair) => cell(pair, 'turn', 'only')),
    cell(['symmetric', 'udp-blocked'], 'turn-attr', 'allow', { why: 'TURN from the ice-servers attribute' }),
    cell(['open', 'eim'], 'none', 'allow', { why: "the element's default: no ICE servers" }),
    cell(['eim', 'eim'], 'none', 'allow', { why: "the element's default: no ICE servers" }),
    cell(['open', 'open'], 'stun', 'only', { why: 'relay="only" with no TURN server anywhere' }),
    cell(['eim', 'eim'], 'turn', 'allow', { kinds: ['firefox', 'chromium'] }),
    cell(['eim', 'symmetric'], 'turn', 'allow', { kinds: ['firefox', 'chromium'] }),
  ];
}

/** What the lab checks in a cell's result; returns the failed checks as { check, detail }. */
export function judge(cellSpec, result) {
  const failed = [];
  const fail = (check, detail) => failed.push({ check, detail });
  const { expected } = cellSpec;
  const sides = result.sides;
  // What each side's connections were given: TURN where the cell configures it (from the signaling server's `joined`,
  // or the ice-servers attribute), and under relay="forbid" no TURN server and no relay candidate, whatever the page
  // was handed. (Whether relay candidates were gathered says little: Chromium stops gathering once a pair works.)
  const turn = cellSpec.ice === 'turn' || cellSpec.ice === 'turn-attr';
  for (const [i, side] of sides.entries()) {
    const name = `side ${'ab'[i]} (${cellSpec.sides[i].profile})`;
    if (cellSpec.relay === 'forbid') {
      if (side.relayCandidates.length)
        fail('no-relay-under-forbid', `${name}: gathered relay candidates over ${side.relayCandidates}`);
      if (side.turnConfigured.some(Boolean))
        fail('no-relay-under-forbid', `${name}: a connection was given a TURN server`);
    } else if (turn && !side.turnConfigured.length) {
      fail('turn-configured', `${name}: no connection gathered with a TURN server configured`);
    } else if (turn && !side.turnConfigured.every(Boolean)) {
      fail('turn-configured', `${name}: a connection gathered without the TURN server (${side.turnConfigured})`);
    }
  }
  if (!expected.connects) {
    if (result.connected) fail('fails-typed', 'connected, but no path should exist');
    for (const [i, side] of sides.entries()) {
      const final = side.errors.find((e) => isFinalError(e, [expected.error]));
      const seen = `states ${side.states.join('>')}; errors ${side.errors.map((e) => e.code).join(',') || 'none'}`;
      if (!final) fail('fails-typed', `side ${'ab'[i]}: no p2p-error within ${FAIL_TIMEOUT_MS / 1000} s (${seen})`);
      else if (final.code !== expected.error)
        fail('fails-typed', `side ${'ab'[i]}: ${final.code}, expected ${expected.error} (${seen})`);
    }
    return failed;
  }
  if (!result.connected) {
    const states = sides.map(
      (s, i) => `${'ab'[i]}: ${s.state}${s.errors.length ? ` ${s.errors.map((e) => e.code)}` : ''}`,
    );
    fail('connects', `not connected within ${CONNECT_TIMEOUT_MS / 1000} s (${states.join('; ')})`);
    return failed;
  }
  for (const [i, side] of sides.entries()) {
    const name = `side ${'ab'[i]} (${cellSpec.sides[i].profile})`;
    if (side.errors.length) fail('no-errors', `${name}: ${side.errors.map((e) => e.code).join(', ')}`);
    if (!side.frames?.moving) fail('frames', `${name}: decoded video frames did not increase`);
    // What the network did, from getStats' selected pair (the truth the element's report is compared with below).
    const pair = side.pair;
    if (!pair) {
      fail('route', `${name}: no selected candidate pair in getStats (${side.noPair})`);
      continue;
    }
    const route =
      pair.local === 'relay' || pair.remote === 'relay' || sides[1 - i].pair?.local === 'relay' ? 'relay' : 'direct';
    if (route !== expected.route)
      fail('route', `${name}: ${route} (${pair.local}->${pair.remote}), expected ${expected.route}`);
    if (expected.localRelay && pair.local !== 'relay') fail('route', `${name}: local ${pair.local}, expected relay`);
    if (
      cellSpec.sides[i].profile === 'udp-blocked' &&
      !(pair.local === 'relay' && ['tcp', 'tls'].includes(pair.relayProtocol))
    ) {
      fail(
        'route',
        `${name}: local ${pair.local}/${pair.relayProtocol ?? pair.localProtocol}, expected a relay over TCP or TLS`,
      );
    }
    // What the element says (its last p2p-route) against that truth.
    const said = side.route;
    const pairs = sides.map((s) => s.pair);
    if (!saysPath(said, pairs, i)) {
      const path = pathOf(pairs, i);
      fail(
        'route-honest',
        `${name}: p2p-route says ${said.route} ${said.local}->${said.remote}, getStats ${path.route} ${path.local}->${path.remote}`,
      );
    }
    // The protocol the packets leave this browser with: TURN over TCP or TLS for a relay reached that way.
    const wire = pair.local === 'relay' && pair.relayProtocol ? pair.relayProtocol : pair.localProtocol;
    if (said.protocol !== wire)
      fail('route-protocol', `${name}: p2p-route says ${said.protocol}, the packets leave over ${wire}`);
  }
  return failed;
}

/**
 * Runs the cells: those expected to fail all together (they wait out timeouts and carry no media), those expected to
 * connect CONNECTING_AT_ONCE at a time. `onResult(cell, result)` is called as each finishes. Returns the two halves'
 * promises: the connecting half ends well before the failing one.
 */
export function runMatrix(lab, cells, onResult) {
  const run = async (cellSpec) => {
    const timeoutMs = cellSpec.expected.connects ? CONNECT_TIMEOUT_MS : FAIL_TIMEOUT_MS;
    let result;
    try {
      // A call that cannot connect is judged by how it ends, not by its media: no camera to capture and encode.
      const receiveOnly = !cellSpec.expected.connects;
      const endsWith = cellSpec.expected.error ? [cellSpec.expected.error] : [];
      result = await runCall(lab, cellSpec.sides, {
        ice: cellSpec.ice,
        relay: cellSpec.relay,
        timeoutMs,
        receiveOnly,
        endsWith,
        camera: MATRIX_CAMERA,
        expectDirect: cellSpec.expected.route === 'direct',
      });
    } catch (error) {
      result = { error: error.message };
    }
    onResult(cellSpec, result);
  };
  const failingQueue = cells.filter((c) => !c.expected.connects);
  const failing = Promise.all(
    Array.from({ length: FAILING_AT_ONCE }, async (_, i) => {
      await sleep(FAILING_START_MS + i * FAILING_STAGGER_MS);
      while (failingQueue.length) await run(failingQueue.shift());
    }),
  );
  const queue = cells.filter((c) => c.expected.connects);
  const workers = Array.from({ length: CONNECTING_AT_ONCE }, async () => {
    while (queue.length) await run(queue.shift());
  });
  return { connecting: Promise.all(workers), failing };
}
