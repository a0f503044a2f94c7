import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { resolveSunshineSettings } from './sunshine-settings.js';

describe('Sunshine Conversations settings', () => {
  it('names every missing setting', () => {
    const attempt = () => resolveSunshineSettings({ env: {} });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/baseUrl[\s\S]*apiToken/);
  });

  it('wants the webhook secret unless unsigned webhooks are allowed explicitly', () => {
    const base = { baseUrl: 'https://api.example.com', apiToken: 'token', env: {} };
    expect(() => resolveSunshineSettings(base)).toThrow(/webhookSecret/);
    expect(resolveSunshineSettings({ ...base, allowUnsignedWebhooks: true }).allowUnsignedWebhooks).toBe(
      true,
    );
  });

  it('reads what is missing from the environment', () => {
    const settings = resolveSunshineSettings({
      env: {
        SUNSHINE_BASE_URL: 'https://api.example.com',
        SUNSHINE_API_TOKEN: 'token-from-the-environment',
        SUNSHINE_WEBHOOK_SECRET: 'secret-from-the-environment',
      },
    });
    expect(settings).toMatchObject({
      baseUrl: 'https://api.example.com',
      apiToken: 'token-from-the-environment',
    });
  });
});
