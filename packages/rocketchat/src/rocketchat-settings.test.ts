import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { resolveRocketchatSettings } from './rocketchat-settings.js';

describe('Rocket.Chat settings', () => {
  it('names every missing setting', () => {
    const attempt = () => resolveRocketchatSettings({ env: {} });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/baseUrl[\s\S]*apiToken/);
  });

  it('wants the webhook secret unless unsigned webhooks are allowed explicitly', () => {
    const base = { baseUrl: 'https://api.example.com', apiToken: 'token', env: {} };
    expect(() => resolveRocketchatSettings(base)).toThrow(/webhookSecret/);
    expect(resolveRocketchatSettings({ ...base, allowUnsignedWebhooks: true }).allowUnsignedWebhooks).toBe(
      true,
    );
  });

  it('reads what is missing from the environment', () => {
    const settings = resolveRocketchatSettings({
      env: {
        ROCKETCHAT_BASE_URL: 'https://api.example.com',
        ROCKETCHAT_API_TOKEN: 'token-from-the-environment',
        ROCKETCHAT_WEBHOOK_SECRET: 'secret-from-the-environment',
      },
    });
    expect(settings).toMatchObject({
      baseUrl: 'https://api.example.com',
      apiToken: 'token-from-the-environment',
    });
  });
});
