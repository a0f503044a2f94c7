// Suites that need a PostgreSQL server: skipped, saying why, only where it is not installed.
import { describe, it } from 'vitest';
import { postgresServerMissing } from '../src/testing/postgres-binaries.js';

const missing = postgresServerMissing();

/**
 * `describe` when PostgreSQL's server is installed. Where it is not: a skipped test naming what to
 * install, or, under CI (which installs it), a failing one.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  describe(name, () => {
    if (process.env.CI) {
      it('needs PostgreSQL', () => {
        throw new Error(missing);
      });
    } else {
      it.skip(`needs PostgreSQL: ${missing}`, () => undefined);
    }
  });
}
