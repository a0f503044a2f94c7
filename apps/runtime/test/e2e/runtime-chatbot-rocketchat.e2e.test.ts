// A hosted platform's chatbot whose organization uses Rocket.Chat Omnichannel: its settings are
// checked against the server when support is turned on, and the handoff loop runs over its own
// webhook URL.
import { createRocketChatHarness, rocketChatSettingsFor } from '@handoff/rocketchat/testing';
import { describe, expect, it } from 'vitest';
import { admin } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import {
  expectCredentialRefused,
  expectHandoffOverChatbotWebhook,
  setupHostedChatbot,
} from '../support/hosted-chatbot-scenario.js';

const cleanups = cleanupsAfterEach();

async function setup() {
  const harness = await createRocketChatHarness();
  cleanups.push(async () => harness.close?.());
  return setupHostedChatbot({
    harness,
    cleanups,
    type: 'rocketchat',
    settings: { ...rocketChatSettingsFor(harness.fake) },
    defaultTeamName: 'Sales',
  });
}

describe('a chatbot on Rocket.Chat Omnichannel', () => {
  it('refuses an access token Rocket.Chat does not know, naming the field and never echoing the token', async () => {
    await expectCredentialRefused(await setup(), 'rocketchat', {
      authToken: 'not-the-personal-access-token-0123456789',
    });
  });

  it('never reads back the access token, the webhook secret or the visitor token key', async () => {
    const { call, harness, shop } = await setup();
    const visitorTokenKey = 'a-visitor-token-key-of-this-shop-0123';
    const created = await call('POST', '/v1/admin/bots', { id: 'shop', ...shop({ visitorTokenKey }) }, admin);
    expect(created.status, created.text).toBe(201);
    const read = await call('GET', '/v1/admin/bots/shop', undefined, admin);
    for (const secret of [harness.fake.authToken, harness.fake.webhookSecret, visitorTokenKey])
      expect(`${created.text}${read.text}`).not.toContain(secret);
  });

  it('hands off to the department and relays the agent over the chatbot webhook', async () => {
    const chatbot = await setup();
    await expectHandoffOverChatbotWebhook(chatbot, {
      setWebhookUrl: (url) => chatbot.harness.fake.setWebhookUrl(url),
      agentText: 'Ana here, from Rocket.Chat.',
    });
  });
});
