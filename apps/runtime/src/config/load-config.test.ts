import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@handoff/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuntimeConfig } from './load-config.js';

const directory = mkdtempSync(join(tmpdir(), 'handoff-config-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
};
const examples = fileURLToPath(new URL('../../config/', import.meta.url));

const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('runtime configuration', () => {
  it('runs the embedded demo without a file', () => {
    const { config, source } = loadRuntimeConfig({ env: {} });
    expect(source).toBe('embedded demo configuration');
    expect(config).toMatchObject({
      bot: { type: 'demo' },
      support: { type: 'in-process', name: 'memory' },
      storage: { type: 'sqlite' },
    });
  });

  it('reads the old support type memory as in-process, marked deprecated, and storage memory as storage', () => {
    const file = write(
      'old-names.yaml',
      'routing:\n  defaultTeam: "1"\nstorage:\n  type: memory\nsupport:\n  type: memory\n  teams: [{ id: "1", name: Support }]\n',
    );
    const { config } = loadRuntimeConfig({ file, env: {} });
    expect(config.storage).toEqual({ type: 'memory' });
    expect(config.support).toMatchObject({
      type: 'in-process',
      deprecatedType: 'memory',
      name: 'memory',
      teams: [{ id: '1', name: 'Support' }],
    });
    const current = write('new-names.yaml', 'routing:\n  defaultTeam: "1"\nsupport:\n  type: in-process\n');
    expect(loadRuntimeConfig({ file: current, env: {} }).config.support).not.toHaveProperty('deprecatedType');
  });

  it('loads every example file', () => {
    const names = readdirSync(examples).filter((name) => name.endsWith('.yaml'));
    expect(names).toEqual(
      expect.arrayContaining([
        'demo.yaml',
        'sunshine.yaml',
        'sunshine-switchboard.yaml',
        'rocketchat.yaml',
        'rocketchat-bot-agent.yaml',
        'ai-sdk-bot.yaml',
      ]),
    );
    for (const name of names) {
      expect(() => loadRuntimeConfig({ file: join(examples, name), env: {} }), name).not.toThrow();
    }
  });

  it('reads YAML and JSON alike', () => {
    const yaml = write('a.yaml', 'routing:\n  defaultTeam: "1"\nserver:\n  port: 4100\n');
    const json = write('a.json', JSON.stringify({ routing: { defaultTeam: '1' }, server: { port: 4100 } }));
    expect(loadRuntimeConfig({ file: yaml, env: {} }).config.server.port).toBe(4100);
    expect(loadRuntimeConfig({ file: json, env: {} }).config.server.port).toBe(4100);
  });

  it('lets the environment override the file', () => {
    const file = write('b.yaml', 'routing:\n  defaultTeam: "1"\n');
    const { config } = loadRuntimeConfig({
      file,
      env: {
        HANDOFF_PORT: '4200',
        HANDOFF_HOST: '0.0.0.0',
        HANDOFF_API_TOKEN: 'a-token-from-the-environment',
        HANDOFF_STORAGE_PATH: '/tmp/x.db',
        HANDOFF_BOT_URL: 'http://127.0.0.1:9999/bot',
        HANDOFF_LOG_LEVEL: 'warn',
      },
    });
    expect(config).toMatchObject({
      server: { port: 4200, host: '0.0.0.0' },
      auth: { tokens: [{ name: 'environment', token: 'a-token-from-the-environment' }] },
      storage: { type: 'sqlite', path: '/tmp/x.db' },
      bot: { type: 'http', url: 'http://127.0.0.1:9999/bot' },
      logging: { level: 'warn' },
    });
  });

  it('honours PORT and HOST as hosting platforms set them, after its own variables, and says which it used', () => {
    const file = write('platform.yaml', 'routing:\n  defaultTeam: "1"\nserver:\n  port: 4100\n');
    const platform = loadRuntimeConfig({ file, env: { PORT: '8080', HOST: '0.0.0.0' } });
    expect(platform.config.server).toMatchObject({ port: 8080, host: '0.0.0.0' });
    expect(platform.addressFrom).toEqual({ host: 'HOST', port: 'PORT' });

    const own = loadRuntimeConfig({
      file,
      env: { PORT: '8080', HANDOFF_PORT: '4300', HOST: '0.0.0.0', HANDOFF_HOST: '127.0.0.1' },
    });
    expect(own.config.server).toMatchObject({ port: 4300, host: '127.0.0.1' });
    expect(own.addressFrom).toEqual({ host: 'HANDOFF_HOST', port: 'HANDOFF_PORT' });

    const none = loadRuntimeConfig({ file, env: {} });
    expect(none.config.server).toMatchObject({ port: 4100, host: '127.0.0.1' });
    expect(none.addressFrom).toEqual({ host: 'default', port: 'configuration' });
  });

  it('refuses a PORT that is not a port, naming server.port', () => {
    const file = write('bad-port.yaml', 'routing:\n  defaultTeam: "1"\n');
    expect(() => loadRuntimeConfig({ file, env: { PORT: 'eighty' } })).toThrow(/server\.port/);
  });

  it('takes PostgreSQL from the environment, with its URL', () => {
    const file = write(
      'postgres.yaml',
      'routing:\n  defaultTeam: "1"\nstorage:\n  type: sqlite\n  path: /tmp/x.db\n',
    );
    const { config } = loadRuntimeConfig({
      file,
      env: { HANDOFF_POSTGRES_URL: 'postgres://handoff:secret@db.internal:5432/handoff' },
    });
    expect(config.storage).toEqual({
      type: 'postgres',
      url: 'postgres://handoff:secret@db.internal:5432/handoff',
      schema: 'public',
      tablePrefix: 'handoff',
      leaseMs: 15_000,
    });
    expect(() => loadRuntimeConfig({ file, env: { HANDOFF_STORAGE: 'postgres' } })).toThrow(/storage\.url/);
  });

  it('takes the hosted Chatwoot platform token from the environment, beside the file’s URL', () => {
    const file = write(
      'hosted.yaml',
      'routing:\n  defaultTeam: "1"\nhosted:\n  chatwoot:\n    baseUrl: https://chatwoot.example\n',
    );
    const { config } = loadRuntimeConfig({
      file,
      env: { HANDOFF_CHATWOOT_PLATFORM_TOKEN: 'platform-app-token' },
    });
    expect(config.hosted.chatwoot).toEqual({
      baseUrl: 'https://chatwoot.example',
      platformToken: 'platform-app-token',
      requestTimeoutMs: 10_000,
    });
    expect(loadRuntimeConfig({ file, env: {} }).config.hosted.chatwoot?.platformToken).toBeUndefined();
    expect(loadRuntimeConfig({ env: {} }).config.hosted).toEqual({});
  });

  it('takes Redis from the environment, with its URL', () => {
    const file = write('redis.yaml', 'routing:\n  defaultTeam: "1"\nsupport:\n  type: chatwoot\n');
    const { config } = loadRuntimeConfig({
      file,
      env: { HANDOFF_REDIS_URL: 'redis://:secret@redis.internal:6380/2' },
    });
    expect(config.storage).toEqual({
      type: 'redis',
      url: 'redis://:secret@redis.internal:6380/2',
      keyPrefix: 'handoff',
      leaseMs: 15_000,
    });
  });

  it('refuses a URL that is not Redis', () => {
    const http = write(
      'redis-http.yaml',
      'routing:\n  defaultTeam: "1"\nsupport:\n  type: chatwoot\nstorage:\n  type: redis\n  url: http://redis:6379\n',
    );
    expect(errorOf(() => loadRuntimeConfig({ file: http, env: {} })).message).toMatch(
      /storage\.url: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });

  const invalid: Array<[string, string, string]> = [
    ['no routing', 'server:\n  port: 3000\n', 'routing'],
    ['a port out of range', 'routing:\n  defaultTeam: "1"\nserver:\n  port: 70000\n', 'server.port'],
    [
      'a malformed skill',
      'routing:\n  defaultTeam: "1"\n  teams:\n    - { team: "2", skills: [refund] }\n',
      'routing.teams[0].skills[0]',
    ],
    ['an unknown bot type', 'routing:\n  defaultTeam: "1"\nbot:\n  type: smart\n', 'bot.type'],
    [
      'a callback without its secret',
      'routing:\n  defaultTeam: "1"\nchannels:\n  web:\n    callbackUrl: https://x.test/cb\n',
      'channels.web.callbackSecret',
    ],
    [
      'a short token',
      'routing:\n  defaultTeam: "1"\nauth:\n  tokens:\n    - { name: a, token: short }\n',
      'auth.tokens[0].token',
    ],
  ];
  for (const [what, text, path] of invalid) {
    it(`names ${path} for ${what}`, () => {
      const file = write(`${path.replace(/\W/g, '-')}.yaml`, text);
      const error = errorOf(() => loadRuntimeConfig({ file, env: {} }));
      expect(error.message).toContain(path);
      expect(error.message).toContain(file);
    });
  }

  it('says when the file cannot be read or parsed', () => {
    expect(
      errorOf(() => loadRuntimeConfig({ file: join(directory, 'missing.yaml'), env: {} })).message,
    ).toContain('ENOENT');
    const broken = write('broken.yaml', 'routing: [\n');
    expect(errorOf(() => loadRuntimeConfig({ file: broken, env: {} })).message).toContain('not valid YAML');
  });
});
