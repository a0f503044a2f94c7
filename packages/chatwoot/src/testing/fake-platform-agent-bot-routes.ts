/**
 * `Platform::Api::V1::AgentBotsController` (v4.15.1): bots of the whole installation (no
 * `account_id`) or of one account, which any inbox they are accessible to may attach
 * (`AgentBot.accessible_to`). Show, update, delete need the bot to be the app's.
 */
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { headOk } from './fake-head-ok.js';
import { forgetPermissibles, isPermitted, permit } from './fake-installation.js';
import { hasParam, type Params, readInteger, readString } from './fake-params.js';
import { type PermittedResource, permittedRoute } from './fake-platform-permitted-route.js';
import { platformAgentBotView } from './fake-platform-views.js';
import type { FakeAgentBot } from './fake-records.js';
import type { PlatformRoute } from './fake-route.js';
import { secureToken } from './fake-secure-token.js';

/** `Limits::URL_LENGTH_LIMIT` (`lib/limits.rb`), the only validation of `AgentBot`. */
const urlLengthLimit = 2048;

/** An agent bot of the installation, found by the `:id` of the path. */
const platformBot: PermittedResource<FakeAgentBot> = {
  type: 'AgentBot',
  find: (installation, id) => installation.agentBots.find((candidate) => candidate.id === id),
  idOf: (bot) => bot.id,
};

/**
 * `params.permit(:name, :description, :account_id, :outgoing_url, :avatar, :avatar_url)`
 * (`belongs_to :account, optional: true`: the id is stored as given). Returns the refusal, or
 * applies the changes.
 */
function assignBot(bot: FakeAgentBot, params: Params): FakeHttpResponse | undefined {
  const outgoingUrl = hasParam(params, 'outgoing_url') ? readString(params.outgoing_url) : bot.outgoingUrl;
  if ((outgoingUrl ?? '').length > urlLengthLimit)
    return chatwootErrors.invalidRecord([
      {
        attribute: 'outgoing_url',
        message: `Outgoing url is too long (maximum is ${urlLengthLimit} characters)`,
      },
    ]);
  if (hasParam(params, 'name')) bot.name = readString(params.name) ?? null;
  if (hasParam(params, 'description')) bot.description = readString(params.description) ?? null;
  if (hasParam(params, 'account_id')) bot.accountId = readInteger(params.account_id) ?? null;
  bot.outgoingUrl = outgoingUrl;
  return undefined;
}

/** `agent_bots#index`: the app's bots. */
const listBots: PlatformRoute = {
  platform: true,
  method: 'GET',
  pattern: '/agent_bots',
  endpoint: 'agent_bots#index',
  handle({ context, platformApp }) {
    const bots = context.installation.agentBots.filter((bot) =>
      isPermitted(context.installation, platformApp, 'AgentBot', bot.id),
    );
    return jsonResponse(200, bots.map(platformAgentBotView));
  },
};

const createBot: PlatformRoute = {
  platform: true,
  method: 'POST',
  pattern: '/agent_bots',
  endpoint: 'agent_bots#create',
  handle(request) {
    const { installation } = request.context;
    const bot: FakeAgentBot = {
      id: Math.max(0, ...installation.agentBots.map((existing) => existing.id)) + 1,
      accountId: null,
      name: null,
      description: null,
      accessToken: secureToken(),
      outgoingUrl: undefined,
      secret: secureToken(),
    };
    const refused = assignBot(bot, request.params);
    if (refused !== undefined) return refused;
    installation.agentBots.push(bot);
    permit(installation, request.platformApp, 'AgentBot', bot.id);
    return jsonResponse(200, platformAgentBotView(bot));
  },
};

const showBot = permittedRoute(platformBot, {
  method: 'GET',
  pattern: '/agent_bots/:id',
  endpoint: 'agent_bots#show',
  handle: (_request, bot) => jsonResponse(200, platformAgentBotView(bot)),
});

const updateBot = (method: 'PATCH' | 'PUT'): PlatformRoute =>
  permittedRoute(platformBot, {
    method,
    pattern: '/agent_bots/:id',
    endpoint: 'agent_bots#update',
    handle(request, bot) {
      return assignBot(bot, request.params) ?? jsonResponse(200, platformAgentBotView(bot));
    },
  });

/** `agent_bots#destroy`: `destroy!` at once; inboxes it was attached to lose it (`agent_bot_inboxes`). */
const deleteBot = permittedRoute(platformBot, {
  method: 'DELETE',
  pattern: '/agent_bots/:id',
  endpoint: 'agent_bots#destroy',
  handle(request, bot) {
    const { installation } = request.context;
    const index = installation.agentBots.indexOf(bot);
    // The shared list is spliced in place: every account's `state.agentBots` is this array.
    installation.agentBots.splice(index, 1);
    for (const entry of installation.accounts.values()) {
      if (entry.state.inbox.agentBotId === bot.id) entry.state.inbox.agentBotId = null;
    }
    forgetPermissibles(installation, 'AgentBot', bot.id);
    return headOk();
  },
});

export const platformAgentBotRoutes: PlatformRoute[] = [
  listBots,
  createBot,
  showBot,
  updateBot('PATCH'),
  updateBot('PUT'),
  deleteBot,
];
