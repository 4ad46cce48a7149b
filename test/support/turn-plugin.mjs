// Test-runner plugin for the relay test: a real coturn (Debian `coturn`, /usr/bin/turnserver) on loopback with
// `use-auth-secret`, and a signaling server that mints its REST-API credentials for every joined participant (the
// elements join without tokens, so it runs open with TURN for tokenless seats switched on explicitly).
// Started on first use only. Command: `turn-signaling-url` -> ws:// URL of that signaling server.
import { randomBytes } from 'node:crypto';
import { startSignalingServer, silentLogger } from '../../dist/server/index.js';
import { startCoturn } from '../../scripts/coturn.mjs';

export function turnRelay() {
  let started;
  const start = async () => {
    const secret = randomBytes(32).toString('base64url');
    const coturn = await startCoturn({
      purpose: 'the relay test',
      relayPorts: [49160, 49460],
      realm: 'p2p-call.test',
      auth: ['--use-auth-secret', `--static-auth-secret=${secret}`],
      extra: ['--no-stun-backward-compatibility'],
    });
    const signaling = await startSignalingServer({
      port: 0,
      host: '127.0.0.1',
      open: true,
      log: silentLogger,
      turnSecret: secret,
      turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`],
      turnTtlSeconds: 600,
      turnInOpenMode: true,
    });
    return {
      url: signaling.url,
      async close() {
        await signaling.close();
        await coturn.close();
      },
    };
  };
  return {
    name: 'turn-relay',
    async serverStop() {
      await (await started)?.close();
    },
    async executeCommand({ command }) {
      if (command !== 'turn-signaling-url') return undefined;
      started ??= start();
      return (await started).url;
    },
  };
}
