// A real, throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a server on a free port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';
import { findPostgresBinDirectory, postgresServerMissing, systemUser } from './postgres-binaries.js';

const run = promisify(execFile);

export interface PostgresServerOptions {
  /**
   * Flush to disk on every commit. Default false: faster, and a killed server (`kill()`) still
   * keeps every commit (what is written reaches the operating system before a commit returns);
   * only a crash of the machine could lose data.
   */
  fsync?: boolean;
  /** The system user the server runs as when this process is root. Default `postgres`. */
  user?: string;
}

/** A real PostgreSQL server on 127.0.0.1, its cluster in a temporary folder. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, no password). */
  url: string;
  port: number;
  /** The temporary folder: the cluster's data in `data/`, the server's socket beside it. */
  directory: string;
  /** Stops the server (fast shutdown), waits for it, then removes the folder. */
  stop(): Promise<void>;
  /** SIGKILL, waits for the exit; the folder (and the data in it) stays. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data: what was committed is there. */
  restart(): Promise<void>;
  /** What the server printed since it last started. */
  output(): string;
}

const startTimeoutMs = 20_000;
const stopTimeoutMs = 10_000;

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

class AddressInUse extends Error {}

/** True when the server on `port` answers a query. */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts Debian's PostgreSQL (the newest `/usr/lib/postgresql/<version>/bin`, else `initdb` and
 * `postgres` on PATH): a new cluster in a fresh temporary folder (trust authentication, UTF-8,
 * C locale), a server on a free port of 127.0.0.1, and waits until it answers. PostgreSQL refuses
 * to run as root, so as root the cluster belongs to, and the server runs as, the system user
 * `postgres` (Debian's package creates it). A port taken meanwhile is replaced by another one.
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBinDirectory();
  if (bin === undefined) throw new Error(postgresServerMissing());
  const isRoot = process.getuid?.() === 0;
  const userName = options.user ?? 'postgres';
  const user = isRoot ? systemUser(userName) : undefined;
  if (isRoot && user === undefined) {
    throw new Error(
      `PostgreSQL does not run as root, and there is no system user ${userName} to run it as; create one: useradd --system ${userName}`,
    );
  }
  const asUser = user === undefined ? {} : { uid: user.uid, gid: user.gid };
  const directory = mkdtempSync(join(tmpdir(), 'handoff-postgres-'));
  if (user !== undefined) chownSync(directory, user.uid, user.gid);
  const data = join(directory, 'data');
  try {
    await run(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...asUser, env: { ...process.env, LC_ALL: 'C' }, timeout: 60_000 },
    );
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`);
  }

  const launch = async (port: number) => {
    const child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${directory}`,
        '-c',
        `fsync=${options.fsync === true ? 'on' : 'off'}`,
        '-c',
        'max_connections=200',
      ],
      // Its own process group: a kill reaches the server's backends too, as when a machine dies.
      { ...asUser, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    let spawnError: Error | undefined;
    child.once('error', (error) => {
      spawnError = error;
    });
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (spawnError !== undefined) throw new Error(`postgres could not start: ${spawnError.message}`);
      if (hasExited(child)) {
        // The port is taken, or (after a kill) the last server's processes are still going away.
        if (
          /could not bind|Address already in use|pre-existing shared memory block|lock file .* already exists/.test(
            output,
          )
        )
          throw new AddressInUse(output);
        throw new Error(`postgres exited (${child.exitCode ?? child.signalCode}): ${output}`);
      }
      // The log line first: an answer alone could come from another server that holds the port.
      if (output.includes('ready to accept connections') && (await answers(url)) && !hasExited(child)) {
        return { child, output: () => output };
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        await waitForExit(child);
        throw new Error(`postgres did not answer within ${startTimeoutMs} ms: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  let running: Awaited<ReturnType<typeof launch>> | undefined;
  let port = 0;
  for (let attempt = 1; running === undefined; attempt += 1) {
    port = await freePort();
    try {
      running = await launch(port);
    } catch (error) {
      if (!(error instanceof AddressInUse) || attempt >= 5) {
        rmSync(directory, { recursive: true, force: true });
        throw error;
      }
    }
  }
  // A test run that ends abruptly must not leave servers behind.
  const killGroup = (child: ChildProcess | undefined) => {
    if (child?.pid === undefined || hasExited(child)) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const killOnExit = () => killGroup(running?.child);
  process.once('exit', killOnExit);

  const kill = async () => {
    const child = running?.child;
    if (child === undefined || hasExited(child)) return;
    killGroup(child);
    await waitForExit(child);
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    directory,
    kill,
    async restart() {
      await kill();
      for (let attempt = 1; ; attempt += 1) {
        try {
          running = await launch(port);
          return;
        } catch (error) {
          if (!(error instanceof AddressInUse) || attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async stop() {
      const child = running?.child;
      if (child !== undefined && !hasExited(child)) {
        // SIGINT: fast shutdown (connections are ended, the server exits at once).
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
        await waitForExit(child);
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
      rmSync(directory, { recursive: true, force: true });
    },
    output: () => running?.output() ?? '',
  };
}
