import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { resolveIntercomSettings } from './intercom-settings.js';

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error.issues.map((issue) => issue.path.join('.'));
    throw error;
  }
  return [];
};

describe('Intercom settings', () => {
  it('fills the defaults and reads the secrets from the environment', () => {
    const settings = resolveIntercomSettings({
      botAdminId: '991267459',
      env: { INTERCOM_ACCESS_TOKEN: 'token-from-env', INTERCOM_CLIENT_SECRET: 'secret-from-env' },
    });
    expect(settings).toMatchObject({
      baseUrl: 'https://api.intercom.io',
      accessToken: 'token-from-env',
      clientSecret: 'secret-from-env',
      botTurns: 'note',
      intercomVersion: '2.14',
    });
  });

  it('names every missing or bad field, and never echoes the token', () => {
    expect(issuesOf(() => resolveIntercomSettings({ env: {} }))).toEqual(['accessToken', 'botAdminId']);
    expect(
      issuesOf(() =>
        resolveIntercomSettings({
          accessToken: 'tok-secret-123',
          botAdminId: 'anna',
          clientSecret: 's',
          env: {},
        }),
      ),
    ).toEqual(['botAdminId']);
    expect(
      issuesOf(() => resolveIntercomSettings({ accessToken: 'tok-secret-123', botAdminId: '1', env: {} })),
    ).toEqual(['clientSecret']);
    try {
      resolveIntercomSettings({
        accessToken: 'tok-secret-123',
        botAdminId: 'anna',
        botTurns: 'shout' as 'note',
        env: {},
      });
    } catch (error) {
      expect(String(error)).not.toContain('tok-secret-123');
    }
  });
});
