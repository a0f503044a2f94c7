import type { SunshineSettings } from '../sunshine-settings.js';
import type { FakeSunshine } from './fake-sunshine-server.js';

/** Settings that point the adapter at a fake Sunshine Conversations. */
export function sunshineSettingsFor(fake: FakeSunshine): SunshineSettings {
  return { baseUrl: fake.baseUrl, apiToken: fake.token, webhookSecret: fake.webhookSecret };
}
