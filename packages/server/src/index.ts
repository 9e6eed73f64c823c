export { createServer, type ParleyServer, type CreateServerOptions } from './server.js';
export { loadConfig, testConfig, ConfigError, type Config } from './config.js';
export { createApp } from './http/app.js';
export { openSqliteStore } from './store/sqlite.js';
export type { Store } from './store/types.js';
export type { SocketHeartbeat } from './realtime/socket.js';
export { ParleyError } from './errors.js';
