// The pool behind the stores: guarded statements and transactions, retried on deadlocks.
import type pg from 'pg';
import { asStorageError } from './postgres-connection.js';

/** A connection inside a transaction (or the pool, for single statements). */
export interface Queryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<Row>>;
}

export interface PostgresDatabase extends Queryable {
  /** Runs `work` in one transaction (READ COMMITTED), again when it lost a deadlock or a serialization race. */
  transaction<Result>(work: (client: Queryable) => Promise<Result>): Promise<Result>;
  /** Runs `work`, its failures because the database is away turned into StorageUnavailableError. */
  guarded<Result>(work: () => Promise<Result>): Promise<Result>;
}

/** Deadlock detected, serialization failure: the transaction can simply run again. */
const retryable = new Set(['40P01', '40001']);
const attempts = 3;
const sqlState = /^[0-9A-Z]{5}$/;

export function createPostgresDatabase(pool: pg.Pool, url: string): PostgresDatabase {
  const guarded = async <Result>(work: () => Promise<Result>): Promise<Result> => {
    try {
      return await work();
    } catch (error) {
      throw asStorageError(error, url);
    }
  };
  return {
    guarded,
    query: (text, values) => guarded(() => pool.query(text, values as unknown[])),
    transaction: (work) =>
      guarded(async () => {
        for (let attempt = 1; ; attempt += 1) {
          const client = await pool.connect();
          let broken = false;
          try {
            await client.query('BEGIN');
            const result = await work(client);
            await client.query('COMMIT');
            return result;
          } catch (error) {
            const code = (error as { code?: unknown }).code;
            // Not an answer of the server (a lost connection, a client timeout): the connection goes.
            if (typeof code === 'string' && sqlState.test(code)) {
              await client.query('ROLLBACK').catch(() => {
                broken = true;
              });
            } else {
              broken = true;
            }
            if (attempt >= attempts || typeof code !== 'string' || !retryable.has(code)) throw error;
          } finally {
            client.release(broken);
          }
        }
      }),
  };
}
