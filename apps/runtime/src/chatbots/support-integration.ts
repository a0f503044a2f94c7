// Which support system, account and inbox a chatbot's conversations live in: when it changes, the
// conversations opened before belong to the old one and must not get the new one's messages.
import { createHash } from 'node:crypto';
import type { ChatbotSettings } from './chatbot-settings.js';

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * A chatbot's support integration, as a string equal for settings whose conversations live in the
 * same place: `off` while support is off; for Chatwoot its installation, account and inbox (a new
 * token for the same inbox is the same integration); for Intercom its installation and the
 * workspace its access token is for (a token names its workspace, so a new token counts as
 * another); for Sunshine Conversations its app; for Rocket.Chat its server and the user the
 * adapter calls as (a new token for the same user is the same integration); for the in-process system its teams (it is built again when they change).
 */
export function supportIntegrationOf(settings: Pick<ChatbotSettings, 'support' | 'supportEnabled'>): string {
  if (!settings.supportEnabled) return 'off';
  const { support } = settings;
  switch (support.type) {
    case 'chatwoot':
      // Hosted and not provisioned yet: no place yet.
      if (support.chatwoot === undefined) return JSON.stringify(['chatwoot', 'unprovisioned']);
      return JSON.stringify([
        'chatwoot',
        support.chatwoot.baseUrl,
        support.chatwoot.accountId,
        support.chatwoot.inboxId,
      ]);
    case 'intercom':
      return JSON.stringify([
        'intercom',
        support.intercom.baseUrl ?? '',
        digest(support.intercom.accessToken),
      ]);
    case 'sunshine':
      // An app of a Sunshine Conversations account (its base URL names the Zendesk account).
      return JSON.stringify(['sunshine', support.sunshine.baseUrl ?? '', support.sunshine.appId]);
    case 'rocketchat':
      // A user of a Rocket.Chat server: its personal access token may be rotated.
      return JSON.stringify(['rocketchat', support.rocketchat.baseUrl, support.rocketchat.userId]);
    case 'in-process':
      return JSON.stringify(['in-process', support.teams ?? null]);
  }
}
