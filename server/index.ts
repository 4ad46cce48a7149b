export { startSignalingServer, SIGNAL_PATH } from './signaling-server.js';
export { createStaticHandler, type StaticHandlerOptions, type StaticMount, type StaticMounts } from './static-files.js';
export type { SignalingServer, SignalingServerOptions, SignalingServerStats } from './signaling-server.js';
export {
  ConfigError,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  DEMO_CONTENT_SECURITY_POLICY,
  MIN_SECRET_BYTES,
  optionsFromEnv,
  type RateLimitOptions,
} from './config.js';
export {
  mintJoinToken,
  verifyJoinToken,
  type JoinGrant,
  type MintJoinTokenOptions,
  type VerifyJoinTokenOptions,
} from './auth.js';
export { RoomRegistry, ROOM_CAPACITY } from './room-registry.js';
export { jsonLogger, silentLogger, type Logger } from './logger.js';
export { mintTurnCredentials, type TurnIceServer } from './turn-credentials.js';
export { TurnIssuer, TurnOutcome, type TurnSeat } from './turn-issuer.js';
export type { TurnConfig, RedisConfig, TokenConfig } from './config.js';
