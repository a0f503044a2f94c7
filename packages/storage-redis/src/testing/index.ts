// @handoff/storage-redis/testing: a throwaway redis-server for tests of what runs on Redis.
export { freePort } from './free-port.js';
export { type RedisServer, type RedisServerOptions, startRedisServer } from './redis-server.js';
