// The public API of @handoff/storage-postgres: every Handoff store in PostgreSQL, for several instances.
export { redactPostgresUrl } from './postgres-connection.js';
export { createPostgresStores, type PostgresStoresSettings } from './postgres-stores.js';
