import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { resolveSunshineSettings } from './sunshine-settings.js';

const complete = {
  appId: 'app-1',
  keyId: 'app_key',
  keySecret: 'key-secret',
  webhookSecret: 'webhook-secret',
  integrationId: 'integration-1',
  zendeskUrl: 'https://acme.zendesk.com',
  zendeskEmail: 'bot@acme.example',
  zendeskApiToken: 'zendesk-token',
};

describe('Sunshine Conversations settings', () => {
  it('names every missing setting', () => {
    const attempt = () => resolveSunshineSettings({ env: {} });
    expect(attempt).toThrow(ConfigurationError);
    for (const field of [
      'appId',
      'keyId',
      'keySecret',
      'webhookSecret',
      'integrationId',
      'zendeskUrl',
      'zendeskEmail',
      'zendeskApiToken',
    ]) {
      expect(attempt).toThrow(new RegExp(field));
    }
  });

  it('defaults the API host, the routing tag prefix and the bot name', () => {
    expect(resolveSunshineSettings({ ...complete, env: {} })).toMatchObject({
      baseUrl: 'https://api.smooch.io',
      routingTagPrefix: 'handoff_group_',
      botName: 'Bot',
      requestTimeoutMs: 10_000,
    });
  });

  it('refuses a routing tag prefix Zendesk would split or change', () => {
    expect(() => resolveSunshineSettings({ ...complete, routingTagPrefix: 'Team Group', env: {} })).toThrow(
      /routingTagPrefix/,
    );
  });

  it('reads the secrets from the environment, never from defaults', () => {
    const { keySecret, webhookSecret, zendeskApiToken, ...rest } = complete;
    const settings = resolveSunshineSettings({
      ...rest,
      env: {
        SUNSHINE_KEY_SECRET: 'secret-from-the-environment',
        SUNSHINE_WEBHOOK_SECRET: 'webhook-from-the-environment',
        ZENDESK_API_TOKEN: 'token-from-the-environment',
      },
    });
    expect(settings).toMatchObject({
      keySecret: 'secret-from-the-environment',
      webhookSecret: 'webhook-from-the-environment',
      zendeskApiToken: 'token-from-the-environment',
    });
  });
});
