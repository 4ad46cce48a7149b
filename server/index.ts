export { startSignalingServer, SIGNAL_PATH } from './signaling-server.js';
export type { SignalingServer, SignalingServerOptions } from './signaling-server.js';
export { RoomRegistry, ROOM_CAPACITY } from './room-registry.js';
export { jsonLogger, silentLogger, type Logger } from './logger.js';
