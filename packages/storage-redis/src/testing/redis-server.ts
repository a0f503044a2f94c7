// A real redis-server child process for tests: started on a free port, killed, restarted, removed.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './free-port.js';

export interface RedisServerOptions {
  /** How often the append-only file is flushed to disk; `always` (the default) loses nothing on a kill. */
  appendFsync?: 'always' | 'everysec';
}

/** A real redis-server child process on 127.0.0.1, persisting to an append-only file. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** The server's working directory (the append-only file lives here). */
  directory: string;
  /** SIGTERM, waits for the exit, then removes the directory. */
  stop(): Promise<void>;
  /** SIGKILL, waits for the exit; the directory (and the data in it) stays. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory: the append-only file is loaded back. */
  restart(): Promise<void>;
  /** What the server printed since it last started. */
  output(): string;
}

const debianBinary = '/usr/bin/redis-server';
const startTimeoutMs = 10_000;
const stopTimeoutMs = 5_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian's redis-server, else the first one on PATH. */
function findRedisServer(): string {
  if (isExecutable(debianBinary)) return debianBinary;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder !== '' && isExecutable(join(folder, 'redis-server'))) return join(folder, 'redis-server');
  }
  throw new Error(
    `redis-server was not found (looked at ${debianBinary} and on PATH); install it: apt-get install redis-server`,
  );
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Bytes of a complete RESP reply at the start of `buffer` (no arrays), or undefined if incomplete. */
function completeReplyLength(buffer: Buffer): number | undefined {
  const lineEnd = buffer.indexOf('\r\n');
  if (lineEnd === -1) return undefined;
  if (buffer[0] !== 0x24 /* $ */) return lineEnd + 2;
  const length = Number(buffer.subarray(1, lineEnd).toString());
  if (length < 0) return lineEnd + 2;
  const total = lineEnd + 2 + length + 2;
  return buffer.length >= total ? total : undefined;
}

/**
 * Sends one command over a fresh TCP connection in raw RESP and returns the raw reply
 * (`+PONG\r\n`, `$1\r\nv\r\n`, `-ERR …\r\n`). Simple strings, errors, integers and bulk strings only.
 */
export async function sendRedisCommand(
  port: number,
  command: readonly string[],
  timeoutMs = 2_000,
): Promise<string> {
  const encoded = [
    `*${command.length}\r\n`,
    ...command.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`),
  ].join('');
  return await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`redis on port ${port} did not answer in ${timeoutMs} ms`)),
    );
    socket.once('error', fail);
    socket.once('connect', () => socket.write(encoded));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const length = completeReplyLength(received);
      if (length === undefined) return;
      socket.destroy();
      resolve(received.subarray(0, length).toString());
    });
    socket.once('end', () => fail(new Error(`redis on port ${port} closed the connection`)));
  });
}

class AddressInUse extends Error {}

/** Starts redis-server and waits until it says it is ready and answers PING with +PONG. */
async function launch(binary: string, port: number, directory: string, appendFsync: string) {
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      directory,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      appendFsync,
      '--protected-mode',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
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
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError !== undefined) throw new Error(`redis-server could not start: ${spawnError.message}`);
    if (hasExited(child)) {
      if (output.includes('Address already in use')) throw new AddressInUse(output);
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}): ${output}`);
    }
    // The log line first: a PONG alone could come from another server that holds the port.
    if (output.includes('Ready to accept connections')) {
      try {
        if ((await sendRedisCommand(port, ['PING'])) === '+PONG\r\n' && !hasExited(child))
          return { child, output: () => output };
      } catch {
        // Not answering yet.
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await waitForExit(child);
      throw new Error(`redis-server did not answer PING within ${startTimeoutMs} ms: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Starts Debian's `/usr/bin/redis-server` (else `redis-server` on PATH) on a free port of
 * 127.0.0.1, in a fresh temporary directory, with append-only persistence and no snapshots, and
 * waits until it answers PING. A port taken in the meantime is replaced by another one.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const binary = findRedisServer();
  const appendFsync = options.appendFsync ?? 'always';
  const directory = mkdtempSync(join(tmpdir(), 'handoff-redis-'));
  let running: Awaited<ReturnType<typeof launch>> | undefined;
  let port = 0;
  for (let attempt = 1; running === undefined; attempt += 1) {
    port = await freePort();
    try {
      running = await launch(binary, port, directory, appendFsync);
    } catch (error) {
      if (!(error instanceof AddressInUse) || attempt >= 5) {
        rmSync(directory, { recursive: true, force: true });
        throw error;
      }
    }
  }
  // A test run that ends abruptly must not leave servers behind.
  const killOnExit = () => running?.child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const kill = async () => {
    const child = running?.child;
    if (child === undefined || hasExited(child)) return;
    child.kill('SIGKILL');
    await waitForExit(child);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    directory,
    kill,
    async restart() {
      await kill();
      // The kernel frees the port once the process is gone; allow a moment for it anyway.
      for (let attempt = 1; ; attempt += 1) {
        try {
          running = await launch(binary, port, directory, appendFsync);
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
        child.kill('SIGTERM');
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
