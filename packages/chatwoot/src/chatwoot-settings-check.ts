// The Chatwoot settings check: the user token, the account, the API inbox and the agent bot, each
// asked of Chatwoot, every problem reported on the settings field at fault.

import {
  isSupportError,
  type SettingsIssue,
  type SupportError,
  type VerifySettingsOptions,
} from '@handoff/core';
import { z } from 'zod';
import type { ChatwootClient } from './chatwoot-client.js';
import { inboxShowResponseSchema, profileResponseSchema } from './chatwoot-responses.js';

export interface ChatwootSettingsCheckSettings {
  client: ChatwootClient;
  accountId: number;
  inboxId: number;
  agentBotId?: number | undefined;
}

const operation = 'verifySettings';

/** The `error` text of a Chatwoot refusal (`render_unauthorized`, `render_not_found_error`). */
function refusalText(error: SupportError): string {
  const body = error.vendorBody;
  if (typeof body !== 'object' || body === null) return '';
  const said = (body as { error?: unknown }).error;
  return typeof said === 'string' ? said : '';
}

/**
 * Runs `call`; Chatwoot refusing it (401 or 404) comes back as `refused`, for the caller to turn
 * into an issue. Everything else (5xx, timeouts, network) throws.
 */
async function refusalOf<Result>(
  call: () => Promise<Result>,
): Promise<{ result: Result } | { refused: SupportError }> {
  try {
    return { result: await call() };
  } catch (error) {
    if (isSupportError(error) && (error.code === 'unauthorized' || error.code === 'not_found'))
      return { refused: error };
    throw error;
  }
}

/** What the token says on `GET /api/v1/profile` when Chatwoot refuses it. */
function tokenIssue(refused: SupportError): SettingsIssue {
  return /bots/i.test(refusalText(refused))
    ? {
        field: 'userToken',
        message: "is an agent bot's token: it must be a user's access token (Chatwoot profile page)",
      }
    : { field: 'userToken', message: 'is not accepted by Chatwoot (Invalid Access Token)' };
}

/**
 * Checks the settings against Chatwoot, in the order Chatwoot itself checks a request:
 * 1. `GET /api/v1/profile` (`ProfilesController#show`): the token is a user's (`Invalid Access
 *    Token`, or a bot's: `Access to this endpoint is not authorized for bots`), and lists that
 *    user's accounts (`_user.json.jbuilder` `accounts`) — `accountId` must be one, and active.
 * 2. `GET /inboxes/{inboxId}` (`InboxesController#show`): 404 when the account has no such inbox
 *    (`Current.account.inboxes.find`); 401 when the user is an agent who is not its member
 *    (`InboxPolicy#show?`); the inbox must be an API inbox (`channel_type` `Channel::Api`: the
 *    adapter posts incoming messages, which only API inboxes take) that does not lock contacts to
 *    a single conversation (the adapter opens a new conversation per handoff).
 * 3. With `agentBotId`, `GET /agent_bots/{id}` (`AgentBotsController#show`, agents and
 *    administrators): 404 when no bot of the account (or global) has that id.
 * A 5xx, a timeout or an unreachable Chatwoot throws the usual SupportError.
 */
export function createChatwootSettingsCheck(settings: ChatwootSettingsCheckSettings) {
  const { client, accountId, inboxId, agentBotId } = settings;

  return async ({ signal }: VerifySettingsOptions = {}): Promise<SettingsIssue[]> => {
    const profile = await refusalOf(() =>
      client.call({
        operation,
        method: 'GET',
        path: '/profile',
        outsideAccount: true,
        token: 'user',
        schema: profileResponseSchema,
        signal,
      }),
    );
    if ('refused' in profile) return [tokenIssue(profile.refused)];
    const membership = profile.result.accounts.find((account) => account.id === accountId);
    if (membership === undefined) {
      const known = profile.result.accounts.map((account) => account.id).join(', ');
      return [
        {
          field: 'accountId',
          message: `the token's user belongs to no account ${accountId} (their accounts: ${known === '' ? 'none' : known})`,
        },
      ];
    }
    if (membership.status === 'suspended')
      return [{ field: 'accountId', message: `account ${accountId} is suspended in Chatwoot` }];

    const issues: SettingsIssue[] = [];
    const inbox = await refusalOf(() =>
      client.call({
        operation,
        method: 'GET',
        path: `/inboxes/${inboxId}`,
        token: 'user',
        schema: inboxShowResponseSchema,
        signal,
      }),
    );
    if ('refused' in inbox) {
      issues.push(
        inbox.refused.code === 'not_found'
          ? { field: 'inboxId', message: `account ${accountId} has no inbox ${inboxId}` }
          : {
              field: 'userToken',
              message: `belongs to an agent who is not a member of inbox ${inboxId}: add them to the inbox, or use an administrator's token`,
            },
      );
    } else {
      if (inbox.result.channel_type !== 'Channel::Api')
        issues.push({
          field: 'inboxId',
          message: `inbox ${inboxId} is a ${inbox.result.channel_type} inbox: the adapter needs an API inbox (Channel::Api)`,
        });
      if (inbox.result.lock_to_single_conversation === true)
        issues.push({
          field: 'inboxId',
          message: `inbox ${inboxId} locks contacts to a single conversation: turn that off, every handoff opens a new conversation`,
        });
    }

    if (agentBotId !== undefined) {
      const bot = await refusalOf(() =>
        client.call({
          operation,
          method: 'GET',
          path: `/agent_bots/${agentBotId}`,
          token: 'user',
          schema: z.object({ id: z.number().int() }),
          signal,
        }),
      );
      if ('refused' in bot) {
        if (bot.refused.code !== 'not_found') throw bot.refused;
        issues.push({ field: 'agentBotId', message: `account ${accountId} has no agent bot ${agentBotId}` });
      }
    }
    return issues;
  };
}
