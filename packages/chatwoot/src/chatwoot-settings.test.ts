import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { resolveChatwootSettings } from './chatwoot-settings.js';

const complete = {
  baseUrl: 'https://chatwoot.example.com',
  accountId: 1,
  inboxId: 3,
  userToken: 'user-token-secret',
  webhookSecret: 'webhook-secret-value',
  env: {},
};

const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
};

describe('Chatwoot settings', () => {
  it('fills defaults', () => {
    expect(resolveChatwootSettings(complete)).toMatchObject({
      requestTimeoutMs: 10_000,
      messagesPerMinute: 180,
      tokenHeader: 'api_access_token',
      allowUnsignedWebhooks: false,
    });
  });

  it('falls back to the environment, explicit settings winning', () => {
    const resolved = resolveChatwootSettings({
      inboxId: 8,
      env: {
        CHATWOOT_BASE_URL: 'https://cw.example.org',
        CHATWOOT_ACCOUNT_ID: '4',
        CHATWOOT_INBOX_ID: '5',
        CHATWOOT_API_TOKEN: 'from-env',
        CHATWOOT_AGENT_BOT_ID: '6',
        CHATWOOT_AGENT_BOT_TOKEN: 'bot-from-env',
        CHATWOOT_WEBHOOK_SECRET: 'secret-from-env',
      },
    });
    expect(resolved).toMatchObject({
      baseUrl: 'https://cw.example.org',
      accountId: 4,
      inboxId: 8,
      userToken: 'from-env',
      agentBotId: 6,
      agentBotToken: 'bot-from-env',
      webhookSecret: 'secret-from-env',
    });
  });

  it('names each bad field and never repeats a secret', () => {
    const error = errorOf(() =>
      resolveChatwootSettings({
        ...complete,
        baseUrl: 'chatwoot.local',
        accountId: -1,
        messagesPerMinute: 500,
      }),
    );
    expect(error.message).toContain('baseUrl');
    expect(error.message).toContain('accountId');
    expect(error.message).toContain('messagesPerMinute');
    expect(error.message).not.toContain('user-token-secret');
    expect(error.message).not.toContain('webhook-secret-value');
  });

  it('requires a webhook secret unless unsigned webhooks are allowed explicitly', () => {
    const { webhookSecret: _secret, ...unsigned } = complete;
    expect(errorOf(() => resolveChatwootSettings(unsigned)).message).toContain('webhookSecret: is required');
    expect(resolveChatwootSettings({ ...unsigned, allowUnsignedWebhooks: true }).allowUnsignedWebhooks).toBe(
      true,
    );
  });

  it('requires the user token', () => {
    const { userToken: _token, ...missing } = complete;
    expect(errorOf(() => resolveChatwootSettings(missing)).message).toContain('userToken');
  });
});
