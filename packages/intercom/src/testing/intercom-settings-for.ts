import type { FakeIntercom } from './fake-intercom-server.js';

/** Adapter settings for a fake Intercom: its URL, the token, the bot admin and the client secret. */
export function intercomSettingsFor(fake: FakeIntercom): {
  baseUrl: string;
  accessToken: string;
  botAdminId: string;
  clientSecret: string;
} {
  return {
    baseUrl: fake.baseUrl,
    accessToken: fake.accessToken,
    botAdminId: fake.botAdminId,
    clientSecret: fake.clientSecret,
  };
}
