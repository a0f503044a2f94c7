import type { SunshineSettings } from '../sunshine-settings.js';
import type { FakeSunshine } from './fake-sunshine-server.js';

/** The connection settings that point an adapter at a fake Sunshine Conversations and its Zendesk account. */
export function sunshineConnectionFor(fake: FakeSunshine) {
  return {
    baseUrl: fake.url,
    appId: fake.appId,
    keyId: fake.keyId,
    keySecret: fake.keySecret,
    webhookSecret: fake.webhookSecret,
    integrationId: fake.integrationId,
    zendeskUrl: fake.zendeskUrl,
    zendeskEmail: fake.zendeskEmail,
    zendeskApiToken: fake.zendeskApiToken,
  };
}

/** Settings that point the external-mode adapter at a fake Sunshine Conversations. */
export function sunshineSettingsFor(fake: FakeSunshine): SunshineSettings {
  return sunshineConnectionFor(fake);
}

/** Settings that point the switchboard bot (internal mode) at a fake Sunshine Conversations. */
export function sunshineSwitchboardSettingsFor(fake: FakeSunshine) {
  return sunshineConnectionFor(fake);
}
