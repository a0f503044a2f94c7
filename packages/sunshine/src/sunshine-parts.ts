import type { Dispatcher } from 'undici';
import { createSunshineClients } from './sunshine-client.js';
import { createConversationActions } from './sunshine-conversation-actions.js';
import { createMessagePoster } from './sunshine-message-poster.js';
import type { ResolvedSunshineSettings } from './sunshine-settings.js';
import { createTransferToAgents } from './sunshine-transfer.js';
import { createGroupDirectory } from './zendesk-groups.js';

/**
 * What both modes are built of: the two API clients, the conversation calls, the Zendesk groups,
 * the once-only message poster and the transfer to the Agent Workspace.
 */
export function createSunshineParts(
  settings: ResolvedSunshineSettings,
  live: { dispatcher?: Dispatcher | undefined; now: () => number },
) {
  const clients = createSunshineClients({ ...settings, dispatcher: live.dispatcher, now: live.now });
  const actions = createConversationActions({
    clients,
    integrationId: settings.integrationId,
    switchboardIntegration: settings.switchboardIntegration,
  });
  const groups = createGroupDirectory({ clients, ttlMs: settings.teamsCacheTtlMs, now: live.now });
  const poster = createMessagePoster(actions);
  const transferToAgents = createTransferToAgents({
    actions,
    groups,
    routingTagPrefix: settings.routingTagPrefix,
    noteAuthor: settings.botName,
    wasPosted: poster.wasPosted,
    remember: poster.remember,
  });
  return { clients, actions, groups, poster, transferToAgents };
}
