// The public API of @handoff/storage-sqlite: every Handoff store in one SQLite file.
export { createSqliteStores, type SqliteStoresSettings } from './sqlite-stores.js';
