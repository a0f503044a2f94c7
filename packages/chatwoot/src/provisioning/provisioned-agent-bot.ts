// Step 6 (internal mode): the account's agent bot, found by name or created, attached to the inbox.

import { SupportError } from '@handoff/core';
import type { AccountApplicationClient } from './account-application-client.js';
import type { ChatwootPlatformClient } from './chatwoot-platform-client.js';
import {
  applicationAgentBotSchema,
  inboxAgentBotSchema,
  platformAgentBotListSchema,
  platformAgentBotSchema,
} from './platform-responses.js';

/** The agent bot attached to an inbox (`GET inboxes/{id}/agent_bot`), if any. */
export async function attachedAgentBotId(
  application: AccountApplicationClient,
  inboxId: number,
  operation: string,
  signal: AbortSignal | undefined,
) {
  const { agent_bot } = await application.client.call({
    operation,
    method: 'GET',
    path: `/inboxes/${inboxId}/agent_bot`,
    token: 'user',
    schema: inboxAgentBotSchema,
    signal,
  });
  return agent_bot?.id;
}

/**
 * `POST inboxes/{id}/set_agent_bot {agent_bot}`; `null` detaches, as Chatwoot's own dashboard does
 * (`store/modules/agentBots.js` `disconnectBot`; `inboxes_controller#set_agent_bot` destroys the
 * `agent_bot_inbox` when no bot is given). Answers `head :ok`; false when the inbox is gone.
 */
export async function setInboxAgentBot(
  application: AccountApplicationClient,
  inboxId: number,
  agentBotId: number | null,
  operation: string,
  signal: AbortSignal | undefined,
) {
  return application.sendWithoutAnswer({
    operation,
    method: 'POST',
    path: `/inboxes/${inboxId}/set_agent_bot`,
    json: { agent_bot: agentBotId },
    signal,
  });
}

/**
 * Among the app's bots (`GET /platform/api/v1/agent_bots`: the ones it created), the one of this
 * account with this name; else `POST agent_bots {name, outgoing_url, account_id}` (the lost answer
 * of a create is found by name next time). A changed `outgoing_url` is set with `PATCH
 * agent_bots/{id}`. Then attached to the inbox unless it is already. Its `access_token` comes from
 * the platform view; its `secret` (4.13.0+) only from the application view, to administrators.
 */
export async function ensureAgentBot(
  platform: ChatwootPlatformClient,
  application: AccountApplicationClient,
  options: {
    accountId: number;
    inboxId: number;
    name: string;
    outgoingUrl: string;
    operation: string;
    signal?: AbortSignal | undefined;
  },
) {
  const { operation, signal } = options;
  const bots = await platform.call({
    operation,
    method: 'GET',
    path: '/agent_bots',
    schema: platformAgentBotListSchema,
    signal,
  });
  const found = bots
    .filter((bot) => bot.account_id === options.accountId && bot.name === options.name)
    .sort((left, right) => left.id - right.id)[0];
  let bot = found;
  let outgoingUrlChanged = false;
  if (bot === undefined) {
    bot = await platform.call({
      operation,
      method: 'POST',
      path: '/agent_bots',
      json: { name: options.name, outgoing_url: options.outgoingUrl, account_id: options.accountId },
      schema: platformAgentBotSchema,
      signal,
    });
  } else if (bot.outgoing_url !== options.outgoingUrl) {
    bot = await platform.call({
      operation,
      method: 'PATCH',
      path: `/agent_bots/${bot.id}`,
      json: { outgoing_url: options.outgoingUrl },
      schema: platformAgentBotSchema,
      signal,
    });
    outgoingUrlChanged = true;
  }
  const attached = (await attachedAgentBotId(application, options.inboxId, operation, signal)) === bot.id;
  if (!attached && !(await setInboxAgentBot(application, options.inboxId, bot.id, operation, signal))) {
    throw new SupportError({
      code: 'not_found',
      message: `chatwoot ${operation} failed: inbox ${options.inboxId} is gone (HTTP 404 on set_agent_bot)`,
      status: 404,
      provider: 'chatwoot',
      operation,
    });
  }
  const { secret } = await application.client.call({
    operation,
    method: 'GET',
    path: `/agent_bots/${bot.id}`,
    token: 'user',
    schema: applicationAgentBotSchema,
    signal,
  });
  return {
    id: bot.id,
    token: bot.access_token,
    secret: typeof secret === 'string' && secret !== '' ? secret : undefined,
    created: found === undefined,
    outgoingUrlChanged,
    attached: !attached,
  };
}
