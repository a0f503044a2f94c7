// The admin API of chatbots: `/v1/admin/bots`, create, read, list, update, delete (admin tokens only).
import type { Team } from '@handoff/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type ChatbotRegistry,
  type ChatbotView,
  checkTeamsExist,
  type SupportCheck,
} from '../chatbots/chatbot-registry.js';
import { type ChatbotSettings, defaultChatbotId } from '../chatbots/chatbot-settings.js';
import type { AdminAuth } from './admin-auth.js';
import { botListQuerySchema, botParamsSchema, ifMatchSchema } from './admin-bot-schemas.js';
import { HttpProblem, parseRequest } from './http-problem.js';

/** The revision an `If-Match` header names, or undefined without one; a 400 for a malformed one. */
function expectedRevision(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  const parsed = ifMatchSchema.safeParse(header);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is not a revision';
  throw new HttpProblem(400, 'invalid_request', `if-match: ${message}`, [{ path: 'if-match', message }]);
}

const withEtag = (reply: FastifyReply, view: ChatbotView) =>
  reply.header('etag', `"${view.revision}"`).send(view);

/**
 * Chatbots as data, for a platform hosting many: each with its bot connector, channels and their
 * tokens, support integration and routing. Secrets are written, never read back (`{ "set": true }`).
 */
export function registerAdminBotRoutes(
  app: FastifyInstance,
  context: {
    adminAuth: AdminAuth;
    chatbots: ChatbotRegistry;
    /** The teams of the support system of `bot` (a 404 for no such chatbot). */
    teamsOf: (bot: string) => Promise<readonly Team[]>;
    /**
     * Applies the stored settings of `bot` at `revision` to its running engine: when its support
     * integration changed (turned off, another system or inbox, deleted), the sessions a human holds
     * are closed first. Resolves with how many.
     */
    /** Provisions hosted support for `settings` (a 400 when there is no hosted system). */
    provisionSupport: (bot: string, settings: ChatbotSettings) => Promise<ChatbotSettings['support']>;
    /** Whether Chatwoot is hosted here: a chatbot turning it on with nothing filled in is provisioned. */
    hostedChatwoot: boolean;
    applyChange: (
      bot: string,
      revision: number,
      /** The settings before the change. */
      previous: { revision: number; settings: ChatbotSettings } | undefined,
    ) => Promise<number>;
    /**
     * Checks support settings against the system (a 400 naming the field when refused); resolves
     * with the system's teams and the support settings to store (a registered webhook's secret).
     */
    checkSupport: (
      bot: string,
      settings: ChatbotSettings,
    ) => Promise<{ teams: readonly Team[]; support: ChatbotSettings['support'] }>;
  },
) {
  const { adminAuth, chatbots, teamsOf, applyChange, checkSupport, provisionSupport } = context;
  /**
   * Settings that leave support on: checked against the system when support is turned on or its
   * settings change, and the routing's teams against the system's whenever either changes.
   */
  const checkAgainstSystem: SupportCheck = async (bot, settings, previous) => {
    // Hosted Chatwoot chosen with support off: its account is provisioned, nothing else checked.
    if (!settings.supportEnabled) return { ...settings, support: await provisionSupport(bot, settings) };
    const same = (left: unknown, right: unknown) => JSON.stringify(left) === JSON.stringify(right);
    if (
      previous?.supportEnabled === true &&
      same(previous.support, settings.support) &&
      same(previous.routing, settings.routing)
    )
      return undefined;
    const checked = await checkSupport(bot, settings);
    checkTeamsExist(settings.routing, checked.teams, 'routing.');
    return { ...settings, support: checked.support };
  };
  const authorized = (request: FastifyRequest) => adminAuth.authenticate(request.headers.authorization);
  const botOf = (request: FastifyRequest) => parseRequest(botParamsSchema, request.params, 'path').bot;

  app.get('/v1/admin/bots', async (request, reply) => {
    authorized(request);
    const query = parseRequest(botListQuerySchema, request.query, 'query');
    const items = await chatbots.list({
      ...(query.after === undefined ? {} : { after: query.after }),
      limit: query.limit + 1,
    });
    const page = items.slice(0, query.limit);
    return reply.send({
      items: page,
      ...(items.length > query.limit && page.length > 0 ? { next: page.at(-1)?.id } : {}),
    });
  });

  app.post('/v1/admin/bots', async (request, reply) => {
    authorized(request);
    const view = await chatbots.create(request.body, checkAgainstSystem);
    request.log.info({ bot: view.id, revision: view.revision }, 'chatbot created');
    return withEtag(reply.status(201).header('location', `/v1/admin/bots/${view.id}`), view);
  });

  app.get('/v1/admin/bots/:bot', async (request, reply) => {
    authorized(request);
    return withEtag(reply, await chatbots.get(botOf(request)));
  });

  app.put('/v1/admin/bots/:bot', async (request, reply) => {
    authorized(request);
    const bot = botOf(request);
    const revision = expectedRevision(request);
    const previous = bot === defaultChatbotId ? undefined : await chatbots.settings(bot);
    const view = await chatbots.update(bot, request.body, revision, checkAgainstSystem);
    request.log.info({ bot, revision: view.revision }, 'chatbot updated');
    const closed = await applyChange(bot, view.revision, previous);
    if (closed > 0) {
      request.log.info({ bot, closed }, 'support integration changed: sessions a human held were closed');
    }
    return withEtag(reply, view);
  });

  app.put('/v1/admin/bots/:bot/routing', async (request, reply) => {
    authorized(request);
    const bot = botOf(request);
    const revision = expectedRevision(request);
    const view = await chatbots.replaceRouting(bot, request.body, {
      expectedRevision: revision,
      teamsOf: () => teamsOf(bot),
    });
    request.log.info({ bot, revision: view.revision }, 'chatbot routing replaced');
    return withEtag(reply, view);
  });

  app.get('/v1/admin/support-systems', async (request, reply) => {
    authorized(request);
    return reply.send({
      items: [
        { type: 'in-process' },
        { type: 'chatwoot', hosted: context.hostedChatwoot },
        { type: 'intercom' },
        { type: 'sunshine' },
        { type: 'rocketchat' },
      ],
    });
  });

  app.get('/v1/admin/bots/:bot/support/teams', async (request, reply) => {
    authorized(request);
    const bot = botOf(request);
    await chatbots.get(bot);
    const teams = await teamsOf(bot);
    return reply.send({ items: teams.map((team) => ({ id: team.id, name: team.name })) });
  });

  app.delete('/v1/admin/bots/:bot', async (request, reply) => {
    authorized(request);
    const bot = botOf(request);
    const previous = bot === defaultChatbotId ? undefined : await chatbots.settings(bot);
    await chatbots.remove(bot, expectedRevision(request));
    request.log.info({ bot }, 'chatbot deleted');
    const closed = await applyChange(bot, Number.MAX_SAFE_INTEGER, previous);
    if (closed > 0) request.log.info({ bot, closed }, 'chatbot deleted: sessions a human held were closed');
    return reply.send({ deleted: bot });
  });
}
