import { randomBytes } from 'node:crypto';
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { readInteger, readString } from './fake-params.js';
import type { FakeAgentBot } from './fake-records.js';
import { agentBotView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { findAgentBot } from './fake-state.js';

/**
 * `AgentBotPolicy` (`app/policies/agent_bot_policy.rb`): administrators and agents may list and see
 * bots; creating, changing and resetting need an administrator. The policy runs before the lookup.
 */
function refuseUnless(request: RouteRequest, who: 'administrator' | 'agent'): FakeHttpResponse | undefined {
  const { owner } = request;
  if (owner.kind !== 'user') return chatwootErrors.notAuthorized();
  if (who === 'administrator' && owner.user.role !== 'administrator') return chatwootErrors.notAuthorized();
  return undefined;
}

/** Tokens look like Rails' `has_secure_token`: 24 base58 characters. */
const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const token = () => [...randomBytes(24)].map((byte) => base58[byte % base58.length]).join('');

/** `AgentBotsController#create`: `AgentBot` validates nothing but the URL length, so a blank name is kept (null). */
const createAgentBot: AccountRoute = {
  method: 'POST',
  pattern: '/agent_bots',
  endpoint: 'agent_bots#create',
  handle(request) {
    const refused = refuseUnless(request, 'administrator');
    if (refused !== undefined) return refused;
    const { state } = request.context;
    const bot: FakeAgentBot = {
      id: Math.max(0, ...state.agentBots.map((existing) => existing.id)) + 1,
      accountId: state.account.id,
      name: readString(request.params.name) ?? null,
      description: readString(request.params.description) ?? null,
      accessToken: token(),
      outgoingUrl: readString(request.params.outgoing_url),
      secret: token(),
    };
    state.agentBots.push(bot);
    return jsonResponse(200, agentBotView(state, bot, request.owner));
  },
};

const showAgentBot: AccountRoute = {
  method: 'GET',
  pattern: '/agent_bots/:id',
  endpoint: 'agent_bots#show',
  handle(request) {
    const refused = refuseUnless(request, 'agent');
    if (refused !== undefined) return refused;
    const bot = findAgentBot(request.context.state, readInteger(request.path.id));
    return bot === undefined
      ? chatwootErrors.notFound()
      : jsonResponse(200, agentBotView(request.context.state, bot, request.owner));
  },
};

const updateAgentBot = (method: 'PATCH' | 'PUT'): AccountRoute => ({
  method,
  pattern: '/agent_bots/:id',
  endpoint: 'agent_bots#update',
  handle(request) {
    const refused = refuseUnless(request, 'administrator');
    if (refused !== undefined) return refused;
    const bot = findAgentBot(request.context.state, readInteger(request.path.id));
    if (bot === undefined) return chatwootErrors.notFound();
    if (Object.hasOwn(request.params, 'name')) bot.name = readString(request.params.name) ?? null;
    if (Object.hasOwn(request.params, 'description'))
      bot.description = readString(request.params.description) ?? null;
    if (Object.hasOwn(request.params, 'outgoing_url')) {
      bot.outgoingUrl = readString(request.params.outgoing_url);
    }
    return jsonResponse(200, agentBotView(request.context.state, bot, request.owner));
  },
});

/** `AgentBotsController#reset_secret` (4.13.0): a new webhook secret. */
const resetSecret: AccountRoute = {
  method: 'POST',
  pattern: '/agent_bots/:id/reset_secret',
  endpoint: 'agent_bots#reset_secret',
  available: (behaviours) => behaviours.agentBotWebhooksSigned,
  handle(request) {
    const refused = refuseUnless(request, 'administrator');
    if (refused !== undefined) return refused;
    const bot = findAgentBot(request.context.state, readInteger(request.path.id));
    if (bot === undefined) return chatwootErrors.notFound();
    bot.secret = token();
    return jsonResponse(200, agentBotView(request.context.state, bot, request.owner));
  },
};

/** `InboxesController#fetch_inbox`: the inbox (404), then `InboxPolicy#show?` (administrators and members). */
function inboxFor(request: RouteRequest): FakeHttpResponse | undefined {
  const { state } = request.context;
  if (readInteger(request.path.id) !== state.inbox.id) return chatwootErrors.notFound();
  const { owner } = request;
  if (
    owner.kind === 'user' &&
    owner.user.role !== 'administrator' &&
    !state.inbox.memberIds.includes(owner.user.id)
  )
    return chatwootErrors.notAuthorized();
  return undefined;
}

/**
 * `POST /inboxes/{id}/set_agent_bot {"agent_bot": id|null}` (`InboxesController#set_agent_bot`):
 * the inbox (404, 401), the bot (`AgentBot.accessible_to(account).find`, 404, `""` included), then
 * the administrator check; attaches the bot, or detaches it when `agent_bot` is null or absent.
 * `head :ok`: 200 with an empty body (the official document's 204/403 are wrong).
 */
const setAgentBot: AccountRoute = {
  method: 'POST',
  pattern: '/inboxes/:id/set_agent_bot',
  endpoint: 'inboxes#set_agent_bot',
  handle(request) {
    const missingInbox = inboxFor(request);
    if (missingInbox !== undefined) return missingInbox;
    const { state } = request.context;
    const requested = request.params.agent_bot;
    const detach = requested === null || requested === undefined;
    const bot = detach ? undefined : findAgentBot(state, readInteger(requested));
    if (!detach && bot === undefined) return chatwootErrors.notFound();
    const refused = refuseUnless(request, 'administrator');
    if (refused !== undefined) return refused;
    state.inbox.agentBotId = bot?.id ?? null;
    return { status: 200, headers: {}, body: '' };
  },
};

/** `GET /inboxes/{id}/agent_bot`: `{}` when no bot is attached (the empty jbuilder block is skipped). */
const inboxAgentBot: AccountRoute = {
  method: 'GET',
  pattern: '/inboxes/:id/agent_bot',
  endpoint: 'inboxes#agent_bot',
  handle(request) {
    const missingInbox = inboxFor(request);
    if (missingInbox !== undefined) return missingInbox;
    const { state } = request.context;
    const bot = findAgentBot(state, state.inbox.agentBotId);
    return jsonResponse(200, bot === undefined ? {} : { agent_bot: agentBotView(state, bot, request.owner) });
  },
};

export const agentBotRoutes: AccountRoute[] = [
  createAgentBot,
  showAgentBot,
  updateAgentBot('PATCH'),
  updateAgentBot('PUT'),
  resetSecret,
  setAgentBot,
  inboxAgentBot,
];
