// A hosted platform's chatbot whose organization uses Zendesk messaging: its settings are checked
// against the account when support is turned on, and the handoff loop runs over its own webhook URL.
import { createSunshineHarness, sunshineSettingsFor } from '@handoff/sunshine/testing';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../support/cleanups.js';
import {
  expectCredentialRefused,
  expectHandoffOverChatbotWebhook,
  setupHostedChatbot,
} from '../support/hosted-chatbot-scenario.js';

const cleanups = cleanupsAfterEach();

async function setup() {
  const harness = await createSunshineHarness();
  cleanups.push(async () => harness.close?.());
  return setupHostedChatbot({
    harness,
    cleanups,
    type: 'sunshine',
    settings: { ...sunshineSettingsFor(harness.fake) },
    defaultTeamName: 'Support',
  });
}

describe('a chatbot on Zendesk messaging (Sunshine Conversations)', () => {
  it('refuses a key Zendesk does not know, naming the field and never echoing the secret', async () => {
    await expectCredentialRefused(await setup(), 'sunshine', {
      keySecret: 'not-the-key-secret-of-this-app-0123456789',
    });
  });

  it('hands off to the group and relays the agent over the chatbot webhook', async () => {
    const chatbot = await setup();
    const created = await expectHandoffOverChatbotWebhook(chatbot, {
      setWebhookUrl: (url) => chatbot.harness.fake.setWebhookUrl(url),
      agentText: 'Anna here, from Zendesk.',
    });
    expect(created.text).not.toContain(chatbot.harness.fake.keySecret);
  });
});
