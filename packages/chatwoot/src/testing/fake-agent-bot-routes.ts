import { randomBytes } from 'node:crypto';
import { chatwootErrors, type FakeHttpResponse, jsonResponse } from './fake-http-response.js';
import { readInteger, readString } from './fake-params.js';
import type { FakeAgentBot } from './fake-records.js';
import { agentBotView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-router.js';
import { findAgentBot } from './fake-state.js';

/** Agent bots and `set_agent_bot` are administrator actions (notes §1.1). */
function refuseUnlessAdministrator({ owner }: RouteRequest): FakeHttpResponse | undefined {
  if (owner.kind !== 'user' || owner.user.role !== 'administrator') return chatwootErrors.notAuthorized();
  return undefined;
}

/** An administrator sees the bot's access token and webhook secret (to configure the bot's side). */
function adminView(request: RouteRequest, bot: FakeAgentBot) {
  return {
    ...agentBotView(request.context.state, bot),
    access_token: bot.accessToken,
    secret: bot.secret,
  };
}

const token = () => randomBytes(12).toString('base64url');

const createAgentBot: AccountRoute = {
  method: 'POST',
  pattern: '/agent_bots',
  endpoint: 'agent_bots#create',
  handle(request) {
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const { state } = request.context;
    const name = readString(request.params.name);
    if (name === undefined || name.trim() === '') {
      return chatwootErrors.invalidRecord([{ attribute: 'name', message: "Name can't be blank" }]);
    }
    const bot: FakeAgentBot = {
      id: Math.max(0, ...state.agentBots.map((existing) => existing.id)) + 1,
      name,
      description: readString(request.params.description) ?? '',
      accessToken: token(),
      outgoingUrl: readString(request.params.outgoing_url),
      secret: token(),
    };
    state.agentBots.push(bot);
    return jsonResponse(200, adminView(request, bot));
  },
};

const showAgentBot: AccountRoute = {
  method: 'GET',
  pattern: '/agent_bots/:id',
  endpoint: 'agent_bots#show',
  handle(request) {
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const bot = findAgentBot(request.context.state, readInteger(request.path.id));
    return bot === undefined ? chatwootErrors.notFound() : jsonResponse(200, adminView(request, bot));
  },
};

const updateAgentBot: AccountRoute = {
  method: 'PATCH',
  pattern: '/agent_bots/:id',
  endpoint: 'agent_bots#update',
  handle(request) {
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const bot = findAgentBot(request.context.state, readInteger(request.path.id));
    if (bot === undefined) return chatwootErrors.notFound();
    const name = readString(request.params.name);
    if (name !== undefined) bot.name = name;
    const description = readString(request.params.description);
    if (description !== undefined) bot.description = description;
    if (Object.hasOwn(request.params, 'outgoing_url')) {
      bot.outgoingUrl = readString(request.params.outgoing_url);
    }
    return jsonResponse(200, adminView(request, bot));
  },
};

const resetSecret: AccountRoute = {
  method: 'POST',
  pattern: '/agent_bots/:id/reset_secret',
  endpoint: 'agent_bots#reset_secret',
  handle(request) {
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const bot = findAgentBot(request.context.state, readInteger(request.path.id));
    if (bot === undefined) return chatwootErrors.notFound();
    bot.secret = token();
    return jsonResponse(200, adminView(request, bot));
  },
};

/**
 * `POST /inboxes/{id}/set_agent_bot {"agent_bot": id|null}` attaches the bot to the inbox (or
 * detaches it). Rails answers `head :ok`. *(inference; the spec says 204)*
 */
const setAgentBot: AccountRoute = {
  method: 'POST',
  pattern: '/inboxes/:id/set_agent_bot',
  endpoint: 'inboxes#set_agent_bot',
  handle(request) {
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const { state } = request.context;
    if (readInteger(request.path.id) !== state.inbox.id) return chatwootErrors.notFound();
    const requested = request.params.agent_bot;
    if (requested === null || requested === undefined || requested === '') {
      state.inbox.agentBotId = null;
    } else {
      const bot = findAgentBot(state, readInteger(requested));
      if (bot === undefined) return chatwootErrors.notFound();
      state.inbox.agentBotId = bot.id;
    }
    return { status: 200, headers: {}, body: '' };
  },
};

const inboxAgentBot: AccountRoute = {
  method: 'GET',
  pattern: '/inboxes/:id/agent_bot',
  endpoint: 'inboxes#agent_bot',
  handle(request) {
    const { state } = request.context;
    if (readInteger(request.path.id) !== state.inbox.id) return chatwootErrors.notFound();
    if (request.owner.kind !== 'user') return chatwootErrors.notAuthorized();
    const bot = findAgentBot(state, state.inbox.agentBotId);
    return jsonResponse(200, { agent_bot: bot === undefined ? null : agentBotView(state, bot) });
  },
};

export const agentBotRoutes: AccountRoute[] = [
  createAgentBot,
  showAgentBot,
  updateAgentBot,
  resetSecret,
  setAgentBot,
  inboxAgentBot,
];
