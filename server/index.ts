export { startSignalingServer, SIGNAL_PATH } from './signaling-server.js';
export { createStaticHandler, type StaticMounts } from './static-files.js';
export type { SignalingServer, SignalingServerOptions, SignalingServerStats } from './signaling-server.js';
export { ConfigError, MIN_SECRET_BYTES, optionsFromEnv, type RateLimitOptions } from './config.js';
export { mintJoinToken, verifyJoinToken, type JoinGrant, type MintJoinTokenOptions } from './auth.js';
export { RoomRegistry, ROOM_CAPACITY } from './room-registry.js';
export { jsonLogger, silentLogger, type Logger } from './logger.js';
export { mintTurnCredentials, type TurnIceServer } from './turn-credentials.js';
export type { TurnConfig, RedisConfig } from './config.js';
