import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type RedisServer, sendRedisCommand, startRedisServer } from '../src/testing/redis-server.js';

describe('startRedisServer', () => {
  let server: RedisServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('starts a server on 127.0.0.1 that answers PING', async () => {
    server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await sendRedisCommand(server.port, ['PING'])).toBe('+PONG\r\n');
  });

  it('keeps what was written through a SIGKILL and a restart (append-only file, fsync always)', async () => {
    server = await startRedisServer();
    expect(await sendRedisCommand(server.port, ['SET', 'k', 'v'])).toBe('+OK\r\n');
    await server.kill();
    await expect(sendRedisCommand(server.port, ['PING'])).rejects.toThrow();
    await server.restart();
    expect(await sendRedisCommand(server.port, ['GET', 'k'])).toBe('$1\r\nv\r\n');
  });

  it('removes its directory when stopped', async () => {
    const started = await startRedisServer({ appendFsync: 'everysec' });
    expect(existsSync(started.directory)).toBe(true);
    await started.stop();
    expect(existsSync(started.directory)).toBe(false);
    await expect(sendRedisCommand(started.port, ['PING'])).rejects.toThrow();
  });
});
