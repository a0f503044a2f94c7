// Connections to PostgreSQL that never hang, and its failures as StorageUnavailableError.
import { StorageUnavailableError } from '@handoff/core';
import pg from 'pg';

/** The URL with any password replaced, for messages and logs. */
export function redactPostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = 'redacted';
    for (const name of ['password', 'sslpassword']) {
      if (parsed.searchParams.has(name)) parsed.searchParams.set(name, 'redacted');
    }
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface PostgresConnectionSettings {
  url: string;
  /** How long to wait for a connection. */
  connectTimeoutMs: number;
  /** How long one statement may run (or wait for a lock) on the server. */
  statementTimeoutMs: number;
  /** Most connections of the pool. */
  maxConnections: number;
  /** `application_name`, to tell instances apart in `pg_stat_activity`. */
  applicationName: string;
}

/** int8 (bigint) columns come back as numbers: they hold epoch milliseconds and counters. */
const int8 = 20;
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** The settings of every connection: timeouts on the server and, for a lost server, in the client. */
export function connectionConfig(settings: PostgresConnectionSettings): pg.ClientConfig {
  return {
    connectionString: settings.url,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    lock_timeout: settings.statementTimeoutMs,
    idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
    // A server that stopped answering (a network cut) is noticed in the client too.
    query_timeout: settings.statementTimeoutMs + settings.connectTimeoutMs,
    application_name: settings.applicationName,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: typeParsers,
  };
}

/** A pool whose idle connections' errors (a server that went away) surface as failed calls. */
export function createPostgresPool(settings: PostgresConnectionSettings): pg.Pool {
  const pool = new pg.Pool({
    ...connectionConfig(settings),
    max: settings.maxConnections,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', () => undefined);
  return pool;
}

/** Error codes of the client and SQLSTATEs meaning the database cannot take the call now. */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  // Connection exceptions, shutdowns, too many connections, out of disk or memory.
  '57P01',
  '57P02',
  '57P03',
  '53000',
  '53100',
  '53200',
  '53300',
  '53400',
  // Statement or lock timeout: the database is too slow to store now.
  '57014',
  '55P03',
  // A replica after a failover.
  '25006',
]);
/** Messages of the client when the connection is gone or never came. */
const connectionFailure =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable|Connection is closed/i;

/** True when `error` means PostgreSQL cannot be reached or cannot store now. */
function isUnavailable(error: unknown): boolean {
  if (error instanceof StorageUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return connectionFailure.test(error.message);
}

/** `error` as a StorageUnavailableError when it means the database is away, else unchanged. */
export function asStorageError(error: unknown, url: string): unknown {
  if (error instanceof StorageUnavailableError || !isUnavailable(error)) return error;
  const reason = (error as Error).message || (error as { code?: string }).code || 'unknown';
  return new StorageUnavailableError(`PostgreSQL at ${redactPostgresUrl(url)} is unavailable: ${reason}`, {
    cause: error,
  });
}
