// @handoff/storage-postgres/testing: a throwaway PostgreSQL server for tests of what runs on it.
export { postgresServerMissing } from './postgres-binaries.js';
export { type PostgresServer, type PostgresServerOptions, startPostgresServer } from './postgres-server.js';
