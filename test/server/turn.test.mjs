// TURN credentials in the coturn REST-API scheme: checked against an independent HMAC (WebCrypto, not node:crypto's
// createHmac the server uses), with the expiry where coturn reads it, handed out in `joined`, and never logged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnIssuer, mintJoinToken, mintTurnCredentials } from '../../dist/server/index.js';
import { connect, delay, startServer } from './helpers.mjs';

const SECRET = 'coturn-static-auth-secret-for-tests';
const TOKEN_SECRET = 'join-token-secret-for-turn-tests-0123456789';
const withToken = async (url, room, participant) =>
  `${url}?token=${await mintJoinToken({ secret: TOKEN_SECRET, room, participant })}`;
const TURN = {
  secret: SECRET,
  urls: ['turn:127.0.0.1:3478?transport=udp', 'turns:turn.example.com:5349'],
  ttlSeconds: 600,
};

/** What coturn computes: base64(HMAC-SHA1(static-auth-secret, username)). */
async function expectedCredential(secret, username) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(username));
  return Buffer.from(mac).toString('base64');
}

describe('TURN credentials', () => {
  it('mints <expiry>:<participant> with base64(HMAC-SHA1(secret, username)), expiring ttl seconds from now', async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const server = mintTurnCredentials(TURN, 'alice', now);
    assert.equal(server.username, `${now / 1000 + 600}:alice`);
    assert.equal(server.credential, await expectedCredential(SECRET, server.username));
    assert.deepEqual(server.urls, TURN.urls);
    // A different secret or participant gives a different credential: the check is not vacuous.
    assert.notEqual(server.credential, mintTurnCredentials({ ...TURN, secret: `${SECRET}x` }, 'alice', now).credential);
    assert.notEqual(server.credential, mintTurnCredentials(TURN, 'bob', now).credential);
  });

  it('sends fresh credentials for the joining participant in joined, and never logs the secret', async () => {
    const { server, lines } = await startServer({
      open: false,
      secret: TOKEN_SECRET,
      turnSecret: SECRET,
      turnUrls: TURN.urls,
      turnTtlSeconds: 900,
    });
    const client = await connect(await withToken(server.url, 'turn-room', 'alice'));
    const before = Math.floor(Date.now() / 1000);
    const joined = await client.join('turn-room', 'alice');
    const after = Math.floor(Date.now() / 1000);
    assert.equal(joined.type, 'joined');
    assert.equal(joined.iceServers.length, 1);
    const [ice] = joined.iceServers;
    assert.deepEqual(ice.urls, TURN.urls);
    const [expiry, participant] = ice.username.split(':');
    assert.equal(participant, 'alice');
    assert.ok(Number(expiry) >= before + 900 && Number(expiry) <= after + 900, ice.username);
    assert.equal(ice.credential, await expectedCredential(SECRET, ice.username));
    await client.close();
    await server.close();
    assert.ok(
      lines.some((line) => line.includes('"turn":true')),
      'the listening line says TURN is on',
    );
    for (const line of lines) assert.ok(!line.includes(SECRET) && !line.includes(ice.credential), line);
  });

  it('sends no iceServers when TURN is not configured', async () => {
    const { server } = await startServer();
    const client = await connect(server.url);
    assert.equal('iceServers' in (await client.join('no-turn', 'p')), false);
    await client.close();
    await server.close();
  });

  it('refuses half a configuration and non-TURN URLs', async () => {
    await assert.rejects(startServer({ turnSecret: SECRET }), { name: 'ConfigError', message: /TURN_URLS/ });
    await assert.rejects(startServer({ turnUrls: TURN.urls }), { name: 'ConfigError', message: /TURN_SECRET/ });
    await assert.rejects(startServer({ turnSecret: SECRET, turnUrls: ['stun:127.0.0.1'] }), {
      name: 'ConfigError',
      message: /Not a TURN URL/,
    });
  });
});

/** Joins and leaves `rounds` times on one socket; returns the iceServers of every `joined`. */
async function joinLeaveLoop(client, room, peer, rounds, pauseMs = 0) {
  const handed = [];
  for (let i = 0; i < rounds; i += 1) {
    const reply = await client.join(room, typeof peer === 'function' ? peer(i) : peer);
    assert.equal(reply.type, 'joined', JSON.stringify(reply));
    handed.push(reply.iceServers);
    client.send({ v: 1, type: 'leave' });
    if (pauseMs) await delay(pauseMs);
  }
  return handed;
}

describe('who gets TURN credentials', () => {
  const turn = { turnSecret: SECRET, turnUrls: TURN.urls };

  it('gives none to a tokenless seat, however often it joins, beside a token-holding member', async () => {
    // Open mode with a secret: token holders and tokenless guests share the server, as in the reported attack.
    const { server } = await startServer({ open: true, secret: TOKEN_SECRET, ...turn });
    const alice = await connect(await withToken(server.url, 'loop-room', 'alice'));
    assert.equal((await alice.join('loop-room', 'alice')).iceServers?.length, 1, 'the token holder gets TURN');
    // No token, no Origin: a script, joining and leaving under a new name each time.
    const stranger = await connect(server.url);
    const handed = await joinLeaveLoop(stranger, 'loop-room', (i) => `guest-${i}`, 40);
    assert.deepEqual(handed.filter(Boolean), [], 'no credentials for a seat without a token');
    assert.equal(server.stats().turnCredentials['no-token'], 40);
    await Promise.all([alice.close(), stranger.close()]);
    await server.close();
  });

  it('mints at most the burst for one token subject, then hands its last credential again', async () => {
    const { server } = await startServer({ open: false, secret: TOKEN_SECRET, ...turn, turnCredentialBurst: 2 });
    const bob = await connect(await withToken(server.url, 'burst-room', 'bob'));
    // Spread over more than three seconds, so that every second could have given a different credential.
    const handed = await joinLeaveLoop(bob, 'burst-room', 'bob', 40, 80);
    const credentials = new Set(handed.map((servers) => `${servers[0].username} ${servers[0].credential}`));
    assert.ok(credentials.size <= 2, `${credentials.size} different credentials: ${[...credentials].join(', ')}`);
    const { minted, reused } = server.stats().turnCredentials;
    assert.ok(minted <= 2 && minted + reused === 40, JSON.stringify(server.stats().turnCredentials));
    const last = handed.at(-1)[0];
    assert.equal(last.credential, await expectedCredential(SECRET, last.username), 'the reused one is still valid');
    await bob.close();
    await server.close();
  });

  it('in open mode, mints none unless turnInOpenMode is set, and then says so loudly and limits per address', async () => {
    const plain = await startServer({ open: true, ...turn });
    const guest = await connect(plain.server.url);
    assert.equal((await guest.join('plain', 'guest')).iceServers, undefined);
    await guest.close();
    await plain.server.close();

    const { server, lines } = await startServer({ open: true, ...turn, turnInOpenMode: true, turnCredentialBurst: 3 });
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.event === 'turn-open-mode');
    assert.equal(warning?.level, 'warn');
    assert.match(warning.message, /TURN IN OPEN MODE/);
    const listening = lines.findIndex((line) => line.includes('"listening"'));
    assert.ok(lines.findIndex((line) => line.includes('turn-open-mode')) < listening, 'warned before listening');
    // New names do not buy new credentials: the subject of a tokenless seat is its address.
    const client = await connect(server.url);
    const handed = await joinLeaveLoop(client, 'open-turn', (i) => `guest-${i}`, 10);
    assert.equal(handed.filter(Boolean).length, 3);
    await client.close();
    await server.close();
  });

  it('refuses turnInOpenMode without open mode or without TURN', async () => {
    await assert.rejects(startServer({ open: false, secret: TOKEN_SECRET, ...turn, turnInOpenMode: true }), {
      name: 'ConfigError',
      message: /open mode/,
    });
    await assert.rejects(startServer({ open: true, turnInOpenMode: true }), {
      name: 'ConfigError',
      message: /TURN_SECRET/,
    });
  });
});

describe('TurnIssuer', () => {
  const config = { ...TURN, openSeats: false, burst: 5, refillSeconds: 60 };
  const bob = { participant: 'bob', bound: true, address: '192.0.2.1' };

  it('refills one credential per refill period and forgets subjects that are idle again', () => {
    let now = Date.UTC(2026, 11, 1);
    const issuer = new TurnIssuer({ ...config, ttlSeconds: 120 }, () => now);
    const minted = () => issuer.issue(bob).outcome === 'minted';
    // One join a second for ten minutes: five at once, then one a minute.
    let count = 0;
    for (let second = 0; second < 600; second += 1, now += 1000) if (minted()) count += 1;
    assert.equal(count, 5 + 9);
    assert.equal(issuer.subjectCount, 1);
    now += 10 * 60_000;
    issuer.issue({ ...bob, participant: 'carol' });
    assert.equal(issuer.subjectCount, 1, 'bob, full again and holding an expired credential, is forgotten');
  });

  it("reuses only the same participant's credential, and only while it has a while to live", () => {
    let now = Date.UTC(2026, 11, 1);
    const issuer = new TurnIssuer({ ...config, burst: 1, refillSeconds: 3600, ttlSeconds: 600 }, () => now);
    const first = issuer.issue(bob);
    assert.equal(first.outcome, 'minted');
    now += 1000;
    assert.deepEqual(issuer.issue(bob), { outcome: 'reused', iceServer: first.iceServer });
    now += 590_000;
    assert.deepEqual(issuer.issue(bob), { outcome: 'rate-limited' }, 'ten seconds left is too little to reuse');
  });
});
