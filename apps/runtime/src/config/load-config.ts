import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ConfigurationError, parseConfiguration } from '@handoff/core';
import { parse as parseYaml } from 'yaml';
import { compileRouting } from './compile-routing.js';
import { demoConfig } from './demo-config.js';
import { type RuntimeConfig, runtimeConfigSchema } from './runtime-config.js';

export interface LoadedConfig {
  config: RuntimeConfig;
  /** The file the configuration came from, or `embedded demo`. */
  source: string;
  /** Where the listening host and port came from: a variable's name, `configuration` or `default`. */
  addressFrom: { host: AddressSource; port: AddressSource };
}

type AddressSource = 'HANDOFF_HOST' | 'HOST' | 'HANDOFF_PORT' | 'PORT' | 'configuration' | 'default';

type Environment = Readonly<Record<string, string | undefined>>;

/** Environment variables that override the file, and where each goes. */
export const environmentOverrides = {
  HANDOFF_HOST: 'server.host',
  HOST: 'server.host, unless HANDOFF_HOST is set (as hosting platforms set it)',
  HANDOFF_PORT: 'server.port',
  PORT: 'server.port, unless HANDOFF_PORT is set (as hosting platforms set it)',
  HANDOFF_PUBLIC_URL: 'server.publicUrl',
  HANDOFF_API_TOKEN: 'auth.tokens (added, named "environment")',
  HANDOFF_ADMIN_TOKEN: 'auth.adminTokens (added, named "environment")',
  HANDOFF_STORAGE: 'storage.type',
  HANDOFF_STORAGE_PATH: 'storage.path',
  HANDOFF_REDIS_URL: 'storage (Redis at this URL)',
  HANDOFF_POSTGRES_URL: 'storage (PostgreSQL at this URL)',
  HANDOFF_BOT_URL: 'bot (an HTTP bot at this URL)',
  HANDOFF_LOG_LEVEL: 'logging.level',
  HANDOFF_CHATWOOT_PLATFORM_TOKEN: 'hosted.chatwoot.platformToken (the platform app of hosted Chatwoot)',
} as const;

function readFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      [
        {
          path: [],
          message: `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        },
      ],
      {
        source: path,
      },
    );
  }
  try {
    return extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigurationError(
      [
        {
          path: [],
          message: `not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
        },
      ],
      {
        source: path,
      },
    );
  }
}

function applyEnvironment(raw: Record<string, unknown>, env: Environment): Record<string, unknown> {
  const config = structuredClone(raw);
  const section = (name: string) => {
    const current = config[name];
    const value = typeof current === 'object' && current !== null ? (current as Record<string, unknown>) : {};
    config[name] = value;
    return value;
  };
  const host = addressVariable(env, 'HANDOFF_HOST', 'HOST');
  if (host !== undefined) section('server').host = env[host];
  const port = addressVariable(env, 'HANDOFF_PORT', 'PORT');
  if (port !== undefined) {
    const value = env[port] ?? '';
    section('server').port = /^\d+$/.test(value) ? Number(value) : value;
  }
  if (env.HANDOFF_PUBLIC_URL) section('server').publicUrl = env.HANDOFF_PUBLIC_URL;
  if (env.HANDOFF_API_TOKEN) {
    const auth = section('auth');
    const tokens = Array.isArray(auth.tokens) ? auth.tokens : [];
    auth.tokens = [...tokens, { name: 'environment', token: env.HANDOFF_API_TOKEN }];
  }
  if (env.HANDOFF_ADMIN_TOKEN) {
    const auth = section('auth');
    const tokens = Array.isArray(auth.adminTokens) ? auth.adminTokens : [];
    auth.adminTokens = [...tokens, { name: 'environment', token: env.HANDOFF_ADMIN_TOKEN }];
  }
  if (env.HANDOFF_STORAGE === 'memory') config.storage = { type: 'memory' };
  if (env.HANDOFF_STORAGE === 'sqlite' || env.HANDOFF_STORAGE_PATH) {
    const storage = section('storage');
    storage.type = 'sqlite';
    if (env.HANDOFF_STORAGE_PATH) storage.path = env.HANDOFF_STORAGE_PATH;
  }
  if (env.HANDOFF_STORAGE === 'redis' || env.HANDOFF_REDIS_URL) {
    const storage = section('storage');
    storage.type = 'redis';
    delete storage.path;
    delete storage.synchronous;
    if (env.HANDOFF_REDIS_URL) storage.url = env.HANDOFF_REDIS_URL;
  }
  if (env.HANDOFF_STORAGE === 'postgres' || env.HANDOFF_POSTGRES_URL) {
    const storage = section('storage');
    storage.type = 'postgres';
    delete storage.path;
    delete storage.synchronous;
    delete storage.keyPrefix;
    if (env.HANDOFF_POSTGRES_URL) storage.url = env.HANDOFF_POSTGRES_URL;
  }
  if (env.HANDOFF_BOT_URL) config.bot = { type: 'http', url: env.HANDOFF_BOT_URL };
  if (env.HANDOFF_LOG_LEVEL) section('logging').level = env.HANDOFF_LOG_LEVEL;
  if (env.HANDOFF_CHATWOOT_PLATFORM_TOKEN) {
    const hosted = section('hosted');
    const chatwoot = (
      typeof hosted.chatwoot === 'object' && hosted.chatwoot !== null ? hosted.chatwoot : {}
    ) as Record<string, unknown>;
    hosted.chatwoot = { ...chatwoot, platformToken: env.HANDOFF_CHATWOOT_PLATFORM_TOKEN };
  }
  return config;
}

/** The variable that sets the host or port: Handoff's own first, then the hosting platform's. */
function addressVariable<Own extends string, Platform extends string>(
  env: Environment,
  own: Own,
  platform: Platform,
): Own | Platform | undefined {
  if (env[own]) return own;
  if (env[platform]) return platform;
  return undefined;
}

function addressSourceOf(
  raw: Record<string, unknown>,
  env: Environment,
  key: 'host' | 'port',
): AddressSource {
  const variable =
    key === 'host'
      ? addressVariable(env, 'HANDOFF_HOST', 'HOST')
      : addressVariable(env, 'HANDOFF_PORT', 'PORT');
  if (variable !== undefined) return variable;
  const server = raw.server;
  return typeof server === 'object' && server !== null && key in server ? 'configuration' : 'default';
}

/**
 * The configuration: the file given (or HANDOFF_CONFIG), else the embedded demo; environment
 * overrides on top; validated, naming the bad field of an invalid one.
 */
export function loadRuntimeConfig(
  options: { file?: string | undefined; env?: Environment } = {},
): LoadedConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.HANDOFF_CONFIG;
  const raw = file === undefined || file === '' ? demoConfig : readFile(file);
  const source = file === undefined || file === '' ? 'embedded demo configuration' : file;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigurationError([{ path: [], message: 'must be an object of settings' }], { source });
  }
  const config = parseConfiguration(
    runtimeConfigSchema,
    applyEnvironment(raw as Record<string, unknown>, env),
    { source },
  );
  compileRouting(config.routing, source);
  const settings = raw as Record<string, unknown>;
  return {
    config,
    source,
    addressFrom: {
      host: addressSourceOf(settings, env, 'host'),
      port: addressSourceOf(settings, env, 'port'),
    },
  };
}
