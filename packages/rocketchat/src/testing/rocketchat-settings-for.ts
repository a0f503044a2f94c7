import type { RocketchatSettings } from '../rocketchat-settings.js';
import type { FakeRocketchat } from './fake-rocketchat-server.js';

/** Settings that point the adapter at a fake Rocket.Chat. */
export function rocketchatSettingsFor(fake: FakeRocketchat): RocketchatSettings {
  return { baseUrl: fake.baseUrl, apiToken: fake.token, webhookSecret: fake.webhookSecret };
}
