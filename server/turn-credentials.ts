/**
 * Short-lived TURN credentials in the coturn "REST API" scheme (`use-auth-secret` + `static-auth-secret`): the
 * username is `<expiry unix seconds>:<participant>`, the password base64(HMAC-SHA1(secret, username)). coturn checks
 * both without calling us, so the long-lived secret stays on the servers and a page only ever holds a credential
 * that dies after `ttlSeconds`.
 */
import { createHmac } from 'node:crypto';
import type { TurnConfig } from './config.js';

export interface TurnIceServer {
  urls: string[];
  username: string;
  credential: string;
}

export function mintTurnCredentials(
  config: TurnConfig,
  participant: string,
  nowMs: number = Date.now(),
): TurnIceServer {
  const expiry = Math.floor(nowMs / 1000) + config.ttlSeconds;
  const username = `${expiry}:${participant}`;
  const credential = createHmac('sha1', config.secret).update(username).digest('base64');
  return { urls: [...config.urls], username, credential };
}
