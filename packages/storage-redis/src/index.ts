// The public API of @handoff/storage-redis: every Handoff store in Redis, for several instances.
export { redactRedisUrl } from './redis-connection.js';
export { createRedisStores, type RedisStoresSettings } from './redis-stores.js';
