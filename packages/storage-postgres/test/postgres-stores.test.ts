import { describeHandoffStores } from '@handoff/conformance';
import type { HandoffStores } from '@handoff/core';
import { afterAll, beforeAll } from 'vitest';
import { createPostgresStores } from '../src/postgres-stores.js';
import { type PostgresServer, startPostgresServer } from '../src/testing/postgres-server.js';
import { describeWithPostgres } from './with-postgres.js';

let server: PostgresServer | undefined;
let prefixes = 0;
const prefixOf = new Map<HandoffStores, string>();

/** Stores on their own table prefix, for the kit; `samePrefix` opens another instance on it. */
async function storesAt(tablePrefix: string) {
  if (server === undefined) throw new Error('the PostgreSQL server did not start');
  const stores = await createPostgresStores({ url: server.url, tablePrefix });
  prefixOf.set(stores, tablePrefix);
  return stores;
}
const samePrefix = (stores: HandoffStores) => storesAt(prefixOf.get(stores) ?? 'unknown');

describeWithPostgres('PostgreSQL stores', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  describeHandoffStores({
    name: 'PostgreSQL stores',
    create: () => storesAt(`kit_${++prefixes}`),
    // A restarted instance connects again to the same tables; a second one runs beside the first.
    reopen: samePrefix,
    anotherInstance: samePrefix,
  });
});
