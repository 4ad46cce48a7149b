// TURN credentials in the coturn REST-API scheme: checked against an independent HMAC (WebCrypto, not node:crypto's
// createHmac the server uses), with the expiry where coturn reads it, handed out in `joined`, and never logged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintTurnCredentials } from '../../dist/server/index.js';
import { connect, startServer } from './helpers.mjs';

const SECRET = 'coturn-static-auth-secret-for-tests';
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
    const { server, lines } = await startServer({ turnSecret: SECRET, turnUrls: TURN.urls, turnTtlSeconds: 900 });
    const client = await connect(server.url);
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
