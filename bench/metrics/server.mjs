// 6. Signaling server, against a bare `ws` relay (bench/servers/bare-relay.mjs) measured in the same run.
// Each server runs in its own child process so its memory and CPU are its own; the clients live in this process.
// Loopback only, bounded in connections, frames and seconds.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { summarize } from '../lib/stats.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Starts a server child; resolves once it printed its `listening` line. */
export async function spawnServer(kind, { distServerDir, maxConnections, nodeArgs = [] }) {
  const args = {
    'p2p-call': [
      join(distServerDir, 'bin.js'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--open',
      '--max-connections-per-ip',
      String(maxConnections),
    ],
    'p2p-call-unlimited': [join(here, '../servers/signaling-unlimited.mjs'), distServerDir],
    bare: [join(here, '../servers/bare-relay.mjs')],
  }[kind];
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, P2P_CALL_METRICS: '' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start: ${stderr.trim()}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}: ${stderr.trim()}`)));
    child.stdout.on('data', function onData(chunk) {
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        try {
          const record = JSON.parse(line);
          if (record.event === 'listening') {
            clearTimeout(timer);
            child.stdout.off('data', onData);
            child.stdout.resume(); // keep draining its log lines
            resolve(record.port);
            return;
          }
        } catch {
          // not a whole JSON line yet
        }
      }
    });
  });
  return {
    kind,
    child,
    url: `ws://127.0.0.1:${port}/signal`,
    rssBytes: () => Number(/VmRSS:\s+(\d+)/u.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) * 1024,
    cpuSeconds: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** One client socket that joined `room` as `peer`; resolves once the server acknowledged the join. */
function joinRoom(url, room, peer) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('join timed out'));
    }, 10_000);
    socket.once('open', () => socket.send(JSON.stringify({ v: 1, type: 'join', room, peer, name: '' })));
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('message', function onJoined(data) {
      if (!data.toString().includes('"joined"')) return;
      clearTimeout(timer);
      socket.off('message', onJoined);
      resolve(socket);
    });
  });
}

async function closeAll(sockets) {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', resolve);
          socket.close();
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2000).unref();
        }),
    ),
  );
}

/** Idle connections: N sockets, each alone in its own room, and the server's RSS before and after. */
async function idleConnections(server, { count, deadlineMs, settleMs }) {
  await sleep(settleMs);
  const rssBefore = server.rssBytes();
  const sockets = [];
  const start = Date.now();
  const BATCH = 200;
  for (let i = 0; i < count && Date.now() - start < deadlineMs; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + BATCH); j++) batch.push(joinRoom(server.url, `idle-${j}`, `idle-${j}`));
    sockets.push(...(await Promise.all(batch)));
  }
  const connectMs = Date.now() - start;
  await sleep(settleMs);
  const rssAfter = server.rssBytes();
  await closeAll(sockets);
  return {
    connections: sockets.length,
    connectMs,
    rssBeforeBytes: rssBefore,
    rssAfterBytes: rssAfter,
    bytesPerConnection: (rssAfter - rssBefore) / Math.max(1, sockets.length),
  };
}

const CANDIDATE =
  'candidate:842163049 1 udp 1677729535 192.0.2.17 54321 typ srflx raddr 10.0.0.17 rport 54321 generation 0 ufrag Xy1z network-cost 999';

/** A signal frame as the browser sends it (an ICE candidate), stamped with the send time. */
function signalFrame(to, id, time) {
  return `{"v":1,"type":"signal","to":"${to}","id":"${id}","payload":{"type":"candidate","candidate":{"candidate":"${CANDIDATE}","sdpMid":"0","sdpMLineIndex":0},"t":${time}}}`;
}
const STAMP = /"t":([0-9.]+)/u;

/** Pairs of sockets in shared rooms, ready to exchange signal frames. */
async function openPairs(server, pairs, tag) {
  const sockets = [];
  for (let i = 0; i < pairs; i++) {
    const room = `${tag}-${i}`;
    const a = await joinRoom(server.url, room, `a${i}`);
    const b = await joinRoom(server.url, room, `b${i}`);
    a.peerName = `b${i}`;
    b.peerName = `a${i}`;
    sockets.push(a, b);
  }
  return sockets;
}

/**
 * Relay at a fixed offered load: every socket sends `perSocketRate` frames/s to its partner (paced, staggered),
 * for `durationMs` after a short warm-up. Latency is send-to-receive through the server, on one clock.
 */
async function fixedLoad(server, { pairs, perSocketRate, durationMs, warmupMs, settleMs }) {
  const sockets = await openPairs(server, pairs, `load-${Date.now()}`);
  const latencies = [];
  // Only frames sent inside the measurement window count, on both ends.
  let windowStart = Infinity;
  let windowEnd = Infinity;
  for (const socket of sockets) {
    socket.on('message', (data) => {
      const match = STAMP.exec(data.toString());
      if (!match) return;
      const stamp = Number(match[1]);
      if (stamp >= windowStart && stamp < windowEnd) latencies.push(performance.now() - stamp);
    });
  }
  const start = performance.now();
  let sent = 0;
  const counts = sockets.map(() => 0);
  const offsets = sockets.map((_, index) => (index / sockets.length) * (1000 / perSocketRate));
  const pace = () => {
    const elapsed = performance.now() - start;
    sockets.forEach((socket, index) => {
      const due = Math.floor(((elapsed + offsets[index]) / 1000) * perSocketRate);
      // After a stall of this process, skip the backlog instead of bursting it: a burst is not the offered load, and
      // the shipped server's per-socket rate limit would rightly drop it.
      if (due - counts[index] > 2) counts[index] = due - 1;
      while (counts[index] < due) {
        counts[index]++;
        const time = performance.now();
        if (time >= windowStart && time < windowEnd) sent++;
        socket.send(signalFrame(socket.peerName, String(counts[index]), time));
      }
    });
  };
  const timer = setInterval(pace, 4);
  await sleep(warmupMs);
  windowStart = performance.now();
  const cpu0 = server.cpuSeconds();
  await sleep(durationMs);
  windowEnd = performance.now();
  const cpuSeconds = server.cpuSeconds() - cpu0;
  const seconds = (windowEnd - windowStart) / 1000;
  clearInterval(timer);
  await sleep(settleMs); // frames still in flight
  await closeAll(sockets);
  return {
    offeredPerSecond: sent / seconds,
    deliveredPerSecond: latencies.length / seconds,
    lost: Math.max(0, sent - latencies.length),
    serverCpuPercent: (cpuSeconds / seconds) * 100,
    latency: summarize(latencies),
    latencies,
  };
}

/**
 * Relay capacity: every pair keeps `window` frames bouncing (each arrival is answered at once), as fast as the
 * server relays them. Messages/s relayed, and the server's CPU per thousand messages.
 */
async function saturation(server, { pairs, window, durationMs, warmupMs }) {
  const sockets = await openPairs(server, pairs, `sat-${Date.now()}`);
  let received = 0;
  let counter = 0;
  let running = true;
  let measuring = false;
  const latencies = [];
  for (const socket of sockets) {
    socket.on('message', (data) => {
      const match = STAMP.exec(data.toString());
      if (!match) return;
      if (measuring) {
        received++;
        if (received % 16 === 0) latencies.push(performance.now() - Number(match[1]));
      }
      if (running) socket.send(signalFrame(socket.peerName, String(++counter), performance.now()));
    });
  }
  for (const socket of sockets) {
    for (let i = 0; i < window; i++) socket.send(signalFrame(socket.peerName, String(++counter), performance.now()));
  }
  await sleep(warmupMs);
  measuring = true;
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  await sleep(durationMs);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = server.cpuSeconds() - cpu0;
  measuring = false;
  running = false;
  await sleep(200);
  await closeAll(sockets);
  return {
    relayedPerSecond: received / seconds,
    serverCpuPercent: (cpuSeconds / seconds) * 100,
    serverCpuMsPerThousand: received ? (cpuSeconds * 1000 * 1000) / received : undefined,
    latency: summarize(latencies),
  };
}

/**
 * The whole server metric. `profile`: { idleConnections, pairs, perSocketRate, loadMs, rounds, saturationMs,
 * saturationRounds, window }. Servers under test alternate within each round.
 */
export async function measureServer({ distServerDir, profile, log }) {
  const result = { idle: {}, fixedLoad: {}, saturation: {} };
  const servers = {};
  try {
    // Idle connections and memory first, on fresh processes: the shipped bin with its defaults, the per-address cap
    // raised for the test. Then fixed load (under the shipped 50 frames/s per-socket limit) on the same processes.
    [servers['p2p-call'], servers.bare] = await Promise.all([
      spawnServer('p2p-call', { distServerDir, maxConnections: profile.idleConnections + 500 }),
      spawnServer('bare', { distServerDir }),
    ]);
    for (const kind of ['p2p-call', 'bare']) {
      log(`  idle connections: ${kind}`);
      result.idle[kind] = await idleConnections(servers[kind], {
        count: profile.idleConnections,
        deadlineMs: 30_000,
        settleMs: profile.settleMs,
      });
    }
    const load = { 'p2p-call': [], bare: [] };
    for (let round = 0; round < profile.rounds; round++) {
      for (const kind of round % 2 ? ['bare', 'p2p-call'] : ['p2p-call', 'bare']) {
        log(`  fixed load round ${round + 1}: ${kind}`);
        load[kind].push(
          await fixedLoad(servers[kind], { ...profile, durationMs: profile.loadMs, warmupMs: profile.settleMs }),
        );
      }
    }
    // Capacity, with the per-socket rate limit lifted.
    await servers['p2p-call'].stop();
    servers.unlimited = await spawnServer('p2p-call-unlimited', { distServerDir });
    // The relay's JIT warms up over the first ~second of load (the first seconds run at a third of the later rate):
    // one discarded burst per server, so the rounds compare warm code.
    for (const server of [servers.unlimited, servers.bare]) {
      await saturation(server, { ...profile, durationMs: profile.settleMs, warmupMs: profile.settleMs });
    }
    const capacity = { 'p2p-call': [], bare: [] };
    for (let round = 0; round < profile.saturationRounds; round++) {
      for (const kind of round % 2 ? ['bare', 'p2p-call'] : ['p2p-call', 'bare']) {
        log(`  relay capacity round ${round + 1}: ${kind}`);
        const server = kind === 'bare' ? servers.bare : servers.unlimited;
        capacity[kind].push(
          await saturation(server, { ...profile, durationMs: profile.saturationMs, warmupMs: profile.settleMs / 2 }),
        );
      }
    }
    for (const kind of ['p2p-call', 'bare']) {
      const runs = load[kind];
      result.fixedLoad[kind] = {
        offeredPerSecond: summarize(runs.map((run) => run.offeredPerSecond)).median,
        deliveredPerSecond: summarize(runs.map((run) => run.deliveredPerSecond)).median,
        lost: runs.reduce((sum, run) => sum + run.lost, 0),
        serverCpuPercent: summarize(runs.map((run) => run.serverCpuPercent)).median,
        latency: summarize(runs.flatMap((run) => run.latencies)),
        roundMedians: runs.map((run) => run.latency.median),
      };
      const sat = capacity[kind];
      result.saturation[kind] = {
        relayedPerSecond: summarize(sat.map((run) => run.relayedPerSecond)),
        serverCpuPercent: summarize(sat.map((run) => run.serverCpuPercent)).median,
        serverCpuMsPerThousand: summarize(sat.map((run) => run.serverCpuMsPerThousand)).median,
        latencyMedian: summarize(sat.map((run) => run.latency.median)).median,
        rounds: sat.map((run) => run.relayedPerSecond),
      };
    }
    result.config = { ...profile };
    return result;
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
}
