import type { ChatwootAgentBotSettingsInput } from '../chatwoot-agent-bot-settings.js';
import type { ChatwootSettingsInput } from '../chatwoot-settings.js';
import type { FakeChatwoot } from './fake-chatwoot-server.js';

/**
 * Adapter settings for a fake Chatwoot, configured as the README recommends: an administrator's
 * token for contacts and teams, the agent bot's token for conversations, the inbox secret.
 */
export function chatwootSettingsFor(fake: FakeChatwoot): ChatwootSettingsInput {
  return {
    baseUrl: fake.baseUrl,
    accountId: fake.accountId,
    inboxId: fake.inboxId,
    userToken: fake.tokens.admin,
    agentBotId: fake.agentBotId,
    agentBotToken: fake.tokens.bot,
    chatwootVersion: fake.behaviours.version,
    // Inbox webhooks are signed from 4.13.0; before, the adapter must be told to take them unsigned.
    ...(fake.behaviours.inboxWebhooksSigned
      ? { webhookSecret: fake.inboxSecret }
      : { allowUnsignedWebhooks: true }),
  };
}

/** Agent-bot settings for a fake Chatwoot: the bot's token and secret, plus an administrator's token. */
export function chatwootAgentBotSettingsFor(fake: FakeChatwoot): ChatwootAgentBotSettingsInput {
  return {
    baseUrl: fake.baseUrl,
    accountId: fake.accountId,
    agentBotToken: fake.tokens.bot,
    userToken: fake.tokens.admin,
    inboxIds: [fake.inboxId],
    chatwootVersion: fake.behaviours.version,
    // Agent bots have a webhook secret from 4.13.0.
    ...(fake.behaviours.agentBotWebhooksSigned
      ? { agentBotSecret: fake.agentBotSecret }
      : { allowUnsignedWebhooks: true }),
  };
}
