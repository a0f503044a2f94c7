// Where PostgreSQL's server programs are, and which user may run them.
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const debianRoot = '/usr/lib/postgresql';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder holding `initdb` and `postgres`: Debian's newest `/usr/lib/postgresql/<version>/bin`,
 * else the folder on PATH that has both. Undefined when PostgreSQL's server is not installed.
 */
export function findPostgresBinDirectory(): string | undefined {
  let versions: string[] = [];
  try {
    versions = readdirSync(debianRoot).filter((name) => /^\d+(\.\d+)?$/.test(name));
  } catch {
    // No Debian packages.
  }
  versions.sort((left, right) => Number(right) - Number(left));
  const candidates = [
    ...versions.map((version) => join(debianRoot, version, 'bin')),
    ...(process.env.PATH ?? '').split(delimiter).filter((folder) => folder !== ''),
  ];
  return candidates.find(
    (folder) => isExecutable(join(folder, 'initdb')) && isExecutable(join(folder, 'postgres')),
  );
}

/** Why a PostgreSQL server cannot be started here (not installed), or undefined when it can. */
export function postgresServerMissing(): string | undefined {
  if (findPostgresBinDirectory() !== undefined) return undefined;
  return `PostgreSQL's server is not installed (no initdb and postgres under ${debianRoot}/<version>/bin or on PATH); install it: apt-get install postgresql`;
}

/** The uid and gid of a system user, from /etc/passwd; undefined when there is none. */
export function systemUser(name: string): { uid: number; gid: number } | undefined {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid !== undefined && gid !== undefined)
      return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}
