import type { ConfigurationIssue } from '@handoff/core';
import type { RuntimeConfig } from './runtime-config.js';

/** Secrets that were once defaults, or that every list of leaked passwords has. */
const knownWeak = new Set([
  'memory-api-token',
  'memory-webhook-secret',
  'changeme',
  'change-me',
  'password',
  'secret',
  'development',
  'test-token',
  'handoff',
]);

/** Why `secret` is too weak to guard a reachable runtime, or undefined when it is fine. */
export function weakness(secret: string): string | undefined {
  const normalised = secret.trim().toLowerCase();
  if (knownWeak.has(normalised) || [...knownWeak].some((weak) => normalised.startsWith(`${weak}-`)))
    return 'is a known default or common secret';
  if (secret.length < 16) return 'is shorter than 16 characters';
  if (new Set(secret).size < 6) return 'repeats too few characters to be guessed hard';
  return undefined;
}

/** Loopback hosts: only this machine can reach a runtime listening there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || bare.startsWith('127.');
}

/**
 * The secrets of a configuration that must not guard a runtime other machines can reach, with the
 * setting that holds each: a weak one, or none where the runtime would make one up.
 */
export function unsafeSecrets(config: RuntimeConfig): ConfigurationIssue[] {
  const found: ConfigurationIssue[] = [];
  const judge = (path: ConfigurationIssue['path'], secret: string | undefined) => {
    if (secret === undefined) return;
    const why = weakness(secret);
    if (why !== undefined) found.push({ path, message: `${why}; set a long random secret` });
  };
  if (config.auth.tokens.length === 0) {
    found.push({
      path: ['auth', 'tokens'],
      message:
        'configure at least one token: a development token is generated (and printed) only for a loopback host',
    });
  }
  for (const [index, token] of config.auth.tokens.entries())
    judge(['auth', 'tokens', index, 'token'], token.token);
  for (const [index, token] of config.auth.adminTokens.entries())
    judge(['auth', 'adminTokens', index, 'token'], token.token);
  if (config.bot.type === 'http') judge(['bot', 'secret'], config.bot.secret);
  for (const [channelId, channel] of Object.entries(config.channels))
    judge(['channels', channelId, 'callbackSecret'], channel.callbackSecret);
  if (config.support.type === 'in-process') {
    judge(['support', 'apiToken'], config.support.apiToken);
    judge(['support', 'webhookSecret'], config.support.webhookSecret);
  }
  return found;
}
