import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { resolveRocketChatSettings } from './rocketchat-settings.js';

describe('Rocket.Chat settings', () => {
  it('names every missing setting', () => {
    const attempt = () => resolveRocketChatSettings({ env: {} });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/baseUrl[\s\S]*userId[\s\S]*authToken/);
  });

  it('wants the webhook secret unless webhooks without it are allowed explicitly', () => {
    const base = { baseUrl: 'https://chat.example.com', userId: 'u1', authToken: 'token', env: {} };
    expect(() => resolveRocketChatSettings(base)).toThrow(/webhookSecret/);
    expect(resolveRocketChatSettings({ ...base, allowUnsignedWebhooks: true }).allowUnsignedWebhooks).toBe(
      true,
    );
  });

  it('reads what is missing from the environment', () => {
    const settings = resolveRocketChatSettings({
      env: {
        ROCKETCHAT_BASE_URL: 'https://chat.example.com',
        ROCKETCHAT_USER_ID: 'user-from-the-environment',
        ROCKETCHAT_AUTH_TOKEN: 'token-from-the-environment',
        ROCKETCHAT_WEBHOOK_SECRET: 'secret-from-the-environment',
      },
    });
    expect(settings).toMatchObject({
      baseUrl: 'https://chat.example.com',
      userId: 'user-from-the-environment',
      authToken: 'token-from-the-environment',
      webhookSecret: 'secret-from-the-environment',
    });
  });

  it('refuses a short visitor token key', () => {
    expect(() =>
      resolveRocketChatSettings({
        baseUrl: 'https://chat.example.com',
        userId: 'u1',
        authToken: 'token',
        webhookSecret: 'secret',
        visitorTokenKey: 'short',
        env: {},
      }),
    ).toThrow(/visitorTokenKey/);
  });
});
