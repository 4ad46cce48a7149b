// Join tokens: minted by the host backend, checked in the HTTP upgrade, binding a socket to one seat in one room.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { mintJoinToken, startSignalingServer } from '../../dist/server/index.js';
import { OFFER, connect, startServer } from './helpers.mjs';

const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
const OTHER_SECRET = 'another-secret-0123456789-abcdefghijklmno';
const key = (secret) => new TextEncoder().encode(secret);

/**
 * A token with arbitrary claims and header, for the shapes mintJoinToken refuses to make. `iss` and `aud` are the
 * defaults unless given (null leaves one out); `issuedAt` is seconds from now, or null for no `iat`.
 */
function craft(claims, { secret = SECRET, alg = 'HS256', expiresIn = 60, issuedAt = 0 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const full = { iss: 'p2p-call', aud: 'p2p-call-signaling', ...claims };
  for (const name of ['iss', 'aud']) if (full[name] === null) delete full[name];
  const jwt = new SignJWT(full).setProtectedHeader({ alg });
  if (issuedAt !== null) jwt.setIssuedAt(now + issuedAt);
  if (expiresIn !== null) jwt.setExpirationTime(now + expiresIn);
  return jwt.sign(key(secret));
}

const withToken = (url, token) => `${url}?token=${encodeURIComponent(token)}`;

/** The raw HTTP answer to an upgrade request, to check a refusal carries a status and nothing else. */
function rawUpgrade(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.from('0123456789abcdef').toString('base64'),
      },
    });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('mintJoinToken', () => {
  it('mints a short-lived HS256 JWT with room and subject', async () => {
    const token = await mintJoinToken({ secret: SECRET, room: 'interview-42', participant: 'cand-7' });
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    assert.equal(claims.room, 'interview-42');
    assert.equal(claims.sub, 'cand-7');
    assert.equal(claims.exp - claims.iat, 300);
  });

  it('sets iss and aud, by default p2p-call and p2p-call-signaling', async () => {
    const claims = decodeJwt(await mintJoinToken({ secret: SECRET, room: 'r', participant: 'p' }));
    assert.equal(claims.iss, 'p2p-call');
    assert.equal(claims.aud, 'p2p-call-signaling');
    const custom = decodeJwt(
      await mintJoinToken({ secret: SECRET, room: 'r', participant: 'p', issuer: 'ats', audience: 'signal-eu' }),
    );
    assert.deepEqual([custom.iss, custom.aud], ['ats', 'signal-eu']);
  });

  it('honours ttlSeconds', async () => {
    const claims = decodeJwt(await mintJoinToken({ secret: SECRET, room: 'r', participant: 'p', ttlSeconds: 30 }));
    assert.equal(claims.exp - claims.iat, 30);
  });

  for (const [what, options] of [
    ['a short secret', { secret: 'too-short', room: 'r', participant: 'p' }],
    ['a room the protocol cannot carry', { secret: SECRET, room: 'a room/with spaces', participant: 'p' }],
    ['a participant id the protocol cannot carry', { secret: SECRET, room: 'r', participant: '' }],
    ['a zero lifetime', { secret: SECRET, room: 'r', participant: 'p', ttlSeconds: 0 }],
    ['a fractional lifetime', { secret: SECRET, room: 'r', participant: 'p', ttlSeconds: 1.5 }],
    ['an empty issuer', { secret: SECRET, room: 'r', participant: 'p', issuer: '' }],
    ['an audience with a line break', { secret: SECRET, room: 'r', participant: 'p', audience: 'a\nb' }],
  ]) {
    it(`refuses ${what}`, () => assert.rejects(mintJoinToken(options), TypeError));
  }
});

describe('token mode', () => {
  let server;
  let lines;
  const mint = (room, participant, secret = SECRET) => mintJoinToken({ secret, room, participant, ttlSeconds: 60 });

  before(async () => {
    ({ server, lines } = await startServer({ open: false, secret: SECRET }));
  });
  after(() => server.close());

  async function refusedWith(url, status) {
    await assert.rejects(connect(url), (error) => {
      assert.equal(error.status, status);
      return true;
    });
  }

  it('refuses an upgrade without a token with 401', () => refusedWith(server.url, 401));
  it('refuses garbage with 401', () => refusedWith(withToken(server.url, 'not.a.jwt'), 401));
  it('refuses a token signed with another secret with 401', async () =>
    refusedWith(withToken(server.url, await mint('r', 'p', OTHER_SECRET)), 401));
  it('refuses an expired token with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { expiresIn: -60 })), 401));
  it('refuses a token without exp with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { expiresIn: null })), 401));
  it('refuses a token without a room claim with 401', async () =>
    refusedWith(withToken(server.url, await craft({ sub: 'p' })), 401));
  it('refuses a token with a malformed room claim with 401', async () =>
    refusedWith(withToken(server.url, await craft({ sub: 'p', room: { $ne: 1 } })), 401));
  it('refuses a token valid for far longer than allowed with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { expiresIn: 30 * 86400 })), 401));
  it('refuses a token without iss with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p', iss: null })), 401));
  it('refuses a token without aud with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p', aud: null })), 401));
  it('refuses a token from another issuer with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p', iss: 'someone-else' })), 401));
  it('refuses a token for another audience with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p', aud: 'another-service' })), 401));
  it('refuses a token without iat with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { issuedAt: null })), 401));
  it('refuses a token issued more than 30 s in the future with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { issuedAt: 45, expiresIn: 120 })), 401));

  it('admits a token issued a little in the future (clock skew within 30 s)', async () => {
    const client = await connect(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { issuedAt: 20 })));
    assert.equal((await client.join('r', 'p')).type, 'joined');
    await client.close();
  });

  it('refuses an HS512 token (only HS256 is accepted) with 401', async () =>
    refusedWith(withToken(server.url, await craft({ room: 'r', sub: 'p' }, { alg: 'HS512' })), 401));

  it('refuses an unsigned (alg none) token with 401', async () => {
    const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const exp = Math.floor(Date.now() / 1000) + 60;
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ room: 'r', sub: 'p', exp })}.`;
    await refusedWith(withToken(server.url, unsigned), 401);
  });

  it('answers a refused upgrade with a bare status and no body', async () => {
    const response = await rawUpgrade(server.port, '/signal?token=forged');
    assert.equal(response.status, 401);
    assert.equal(response.body, '');
    assert.equal(response.headers['content-length'], '0');
  });

  it('counts refusals by reason and never logs the token', async () => {
    const token = await mint('r', 'p', OTHER_SECRET);
    await refusedWith(withToken(server.url, token), 401);
    const { refused } = server.stats();
    assert.ok(refused['missing-token'] >= 1 && refused['bad-token'] >= 1, JSON.stringify(refused));
    for (const line of lines) assert.ok(!line.includes(token.split('.')[2]), `token in log: ${line}`);
  });

  it('admits a valid token, in the URL or as a bearer header, and joins its seat', async () => {
    const alice = await connect(withToken(server.url, await mint('t-room', 'alice')));
    assert.equal((await alice.join('t-room', 'alice')).type, 'joined');
    const bob = await connect(server.url, { headers: { authorization: `Bearer ${await mint('t-room', 'bob')}` } });
    assert.equal((await bob.join('t-room', 'bob')).type, 'joined');
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    assert.equal((await bob.next('signal')).from, 'alice');
    await Promise.all([alice.close(), bob.close()]);
  });

  it('reads the bearer header when the token parameter is present but empty', async () => {
    const token = await mint('t-empty', 'alice');
    const client = await connect(`${server.url}?token=`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await client.join('t-empty', 'alice')).type, 'joined', 'joined with the grant of the header');
    await client.close();
  });

  it('refuses two tokens (parameter and header, or the parameter twice) with 400', async () => {
    const token = await mint('t-two', 'alice');
    const other = await mint('t-two', 'mallory');
    await assert.rejects(
      connect(withToken(server.url, token), { headers: { authorization: `Bearer ${other}` } }),
      (error) => error.status === 400,
    );
    await assert.rejects(
      connect(withToken(server.url, token), { headers: { authorization: `Bearer ${token}` } }),
      (error) => error.status === 400,
      'even the same token twice: one request, one way of sending it',
    );
    await refusedWith(`${withToken(server.url, other)}&token=${encodeURIComponent(token)}`, 400);
    assert.ok(server.stats().refused['ambiguous-token'] >= 3);
  });

  it('refuses a join as someone other than the token subject, then closes (1008)', async () => {
    const client = await connect(withToken(server.url, await mint('t-sub', 'alice')));
    const reply = await client.join('t-sub', 'mallory');
    assert.equal(reply.type, 'error');
    assert.equal(reply.code, 'unauthorized');
    assert.equal((await client.closed).code, 1008);
  });

  it('refuses a join into another room than the token names', async () => {
    const client = await connect(withToken(server.url, await mint('t-room-a', 'alice')));
    const reply = await client.join('t-room-b', 'alice');
    assert.equal(reply.code, 'unauthorized');
    assert.equal((await client.closed).code, 1008);
  });

  it('gives a reconnecting subject its seat back instead of room-full', async () => {
    const alice = await connect(withToken(server.url, await mint('t-back', 'alice')));
    await alice.join('t-back', 'alice');
    const bob = await connect(withToken(server.url, await mint('t-back', 'bob')));
    await bob.join('t-back', 'bob');

    const bobAgain = await connect(withToken(server.url, await mint('t-back', 'bob')));
    assert.equal((await bobAgain.join('t-back', 'bob')).type, 'joined');
    assert.equal((await bob.closed).code, 4000);

    const carol = await connect(withToken(server.url, await mint('t-back', 'carol')));
    assert.equal((await carol.join('t-back', 'carol')).code, 'room-full');
    alice.send({ v: 1, type: 'signal', to: 'bob', id: 'm1', payload: OFFER });
    assert.equal((await bobAgain.next('signal')).id, 'm1');
    await Promise.all([alice.close(), bobAgain.close(), carol.close()]);
  });
});

describe('configured issuer and audience', () => {
  it('admits tokens minted for them and refuses the defaults', async () => {
    const { server } = await startServer({
      open: false,
      secret: SECRET,
      tokenIssuer: 'https://ats.example.com',
      tokenAudience: 'signal-eu-1',
    });
    const options = { secret: SECRET, room: 'iss-room', participant: 'alice' };
    const good = await mintJoinToken({ ...options, issuer: 'https://ats.example.com', audience: 'signal-eu-1' });
    const client = await connect(withToken(server.url, good));
    assert.equal((await client.join('iss-room', 'alice')).type, 'joined');
    for (const token of [
      await mintJoinToken(options),
      await mintJoinToken({ ...options, issuer: 'https://ats.example.com' }),
      await mintJoinToken({ ...options, audience: 'signal-eu-1' }),
    ]) {
      await assert.rejects(connect(withToken(server.url, token)), (error) => error.status === 401);
    }
    await client.close();
    await server.close();
  });

  it('refuses an issuer or audience that cannot be a claim', async () => {
    await assert.rejects(startServer({ open: false, secret: SECRET, tokenIssuer: '' }), { name: 'ConfigError' });
    await assert.rejects(startServer({ open: false, secret: SECRET, tokenAudience: 'a b' }), { name: 'ConfigError' });
  });
});

describe('open mode with a secret', () => {
  it('verifies tokens that are present, and keeps token-bound seats from tokenless joiners', async () => {
    const { server } = await startServer({ open: true, secret: SECRET });
    await assert.rejects(connect(withToken(server.url, 'forged')), (error) => error.status === 401);

    const bob = await connect(
      withToken(server.url, await mintJoinToken({ secret: SECRET, room: 'mix', participant: 'bob' })),
    );
    assert.equal((await bob.join('mix', 'bob')).type, 'joined');
    const impostor = await connect(server.url);
    const reply = await impostor.join('mix', 'bob');
    assert.equal(reply.code, 'unauthorized');
    assert.ok(bob.isOpen, 'the real bob keeps his seat');
    const guest = await connect(server.url);
    assert.equal((await guest.join('mix', 'guest')).type, 'joined');
    await Promise.all([bob.close(), guest.close()]);
    await server.close();
  });
});

describe('configuration', () => {
  it('refuses to start with neither a secret nor open mode', async () => {
    await assert.rejects(startSignalingServer({ port: 0 }), (error) => {
      assert.equal(error.name, 'ConfigError');
      assert.match(error.message, /P2P_CALL_SECRET/);
      return true;
    });
  });

  it('refuses a secret shorter than 32 bytes', () =>
    assert.rejects(startSignalingServer({ port: 0, secret: 'x'.repeat(31) }), /32 bytes/));

  it('refuses an allowlist entry that is not an origin', () =>
    assert.rejects(startSignalingServer({ port: 0, open: true, allowedOrigins: ['*'] }), /origin/i));

  it('warns, in its log, when it runs open', async () => {
    const { server, lines } = await startServer({ open: true });
    await server.close();
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => entry.event === 'open-mode');
    assert.equal(warning?.level, 'warn');
    assert.match(warning.message, /OPEN MODE/);
  });
});
