import { type HandoffEngine, type LiveEvent, type SupportCapabilities, sessionKey } from '@handoff/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { chatbotIdSchema, defaultChatbotId } from '../chatbots/chatbot-settings.js';
import type { ServedChatbots } from '../chatbots/served-chatbots.js';
import {
  channelParamsSchema,
  closeBodySchema,
  eventsQuerySchema,
  postMessageBodySchema,
  turnResponseSchema,
} from './api-schemas.js';
import { bearerTokenOf } from './bearer-auth.js';
import { parseRequest } from './http-problem.js';
import type { RouteContext } from './route-context.js';
import { checkSupportLimits } from './support-limits.js';

const heartbeatMs = 15_000;

const botChannelParamsSchema = channelParamsSchema.extend({ bot: chatbotIdSchema });

/** What a channel request is for: a chatbot's engine, its support, where its users' messages are kept. */
interface ChannelTarget {
  channelId: string;
  userId: string;
  engine: HandoffEngine;
  supportName: string;
  capabilities: SupportCapabilities;
  /** The user's key in the mailbox, the hub and the idempotency records. */
  userKey: string;
}

/**
 * The channel API: user messages in, bot replies out; later outbound messages as server-sent
 * events. Under `/v1/channels/...` for the configuration file's chatbot (`default`), and under
 * `/v1/bots/{bot}/channels/...` for each chatbot of the registry, with its own tokens.
 */
export function registerChannelRoutes(
  app: FastifyInstance,
  context: RouteContext & { chatbots: ServedChatbots },
) {
  const defaultTarget = (request: FastifyRequest, channelId: string, userId: string): ChannelTarget => {
    context.auth.authenticate(request.headers.authorization, channelId);
    return {
      channelId,
      userId,
      engine: context.engine,
      supportName: context.support.name,
      capabilities: context.support.adapter.capabilities,
      userKey: sessionKey(channelId, userId),
    };
  };
  registerChannelRoutesAt(app, context, '/v1/channels', async (request) => {
    const { channelId, userId } = parseRequest(channelParamsSchema, request.params, 'path');
    return defaultTarget(request, channelId, userId);
  });
  registerChannelRoutesAt(app, context, '/v1/bots/:bot/channels', async (request) => {
    const { bot, channelId, userId } = parseRequest(botChannelParamsSchema, request.params, 'path');
    if (bot === defaultChatbotId) return defaultTarget(request, channelId, userId);
    // Without a token, a 401 before the chatbot's engine is built for nothing.
    bearerTokenOf(request.headers.authorization);
    const served = await context.chatbots.get(bot);
    served.authenticate(request.headers.authorization, channelId);
    return {
      channelId,
      userId,
      engine: served.engine,
      supportName: served.support.name,
      capabilities: served.support.adapter.capabilities,
      userKey: served.userKey(channelId, userId),
    };
  });
}

function registerChannelRoutesAt(
  app: FastifyInstance,
  context: RouteContext,
  prefix: string,
  targetOf: (request: FastifyRequest) => Promise<ChannelTarget>,
) {
  const { stores, hub } = context;

  app.post(`${prefix}/:channelId/users/:userId/messages`, async (request, reply) => {
    const { channelId, userId, engine, userKey, ...target } = await targetOf(request);
    const body = parseRequest(postMessageBodySchema, request.body, 'body');
    checkSupportLimits(target.capabilities, body);
    const idempotencyKey = body.id === undefined ? undefined : `${userKey}/${body.id}`;
    if (idempotencyKey !== undefined) {
      const stored = await stores.idempotency.get(idempotencyKey);
      if (stored !== undefined) return reply.header('idempotent-replayed', 'true').send(JSON.parse(stored));
    }
    const result = await engine.handleUserMessage({
      channelId,
      userId,
      message: {
        text: body.text,
        ...(body.id === undefined ? {} : { id: body.id }),
        ...(body.attachments === undefined ? {} : { attachments: body.attachments }),
      },
      ...(body.profile === undefined ? {} : { profile: body.profile }),
    });
    const response = turnResponseSchema.parse(result);
    if (idempotencyKey !== undefined) {
      if (result.duplicate) {
        // A concurrent call with the same id is being answered: give its answer when it is stored.
        const stored = await stores.idempotency.get(idempotencyKey);
        if (stored !== undefined) return reply.header('idempotent-replayed', 'true').send(JSON.parse(stored));
      } else {
        await stores.idempotency.put(idempotencyKey, JSON.stringify(response));
      }
    }
    return reply.send(response);
  });

  app.get(`${prefix}/:channelId/users/:userId/session`, async (request, reply) => {
    const { channelId, userId, engine, supportName } = await targetOf(request);
    const session = await engine.getSession({ channelId, userId });
    if (session === undefined) {
      return reply
        .status(404)
        .send({ error: 'not_found', message: `user ${userId} has no session in channel ${channelId}` });
    }
    const team = session.conversation?.team ?? session.handoff?.team;
    const teamLabel = session.conversation?.teamLabel ?? session.handoff?.teamLabel;
    const unavailable = session.handoff?.unavailable;
    return reply.send({
      sessionId: session.sessionId,
      mode: session.mode,
      support: supportName,
      ...(team === undefined
        ? {}
        : {
            team: {
              id: team,
              ...(teamLabel === undefined ? {} : { label: teamLabel }),
            },
          }),
      ...(session.conversation?.conversationId === undefined
        ? {}
        : { conversationId: session.conversation.conversationId }),
      ...(unavailable === undefined
        ? {}
        : {
            waiting: {
              reason: unavailable,
              ...(session.handoff?.choice === undefined ? {} : { choice: session.handoff.choice }),
            },
          }),
      unfinishedSkills: session.unfinishedSkills,
    });
  });

  app.post(`${prefix}/:channelId/users/:userId/close`, async (request, reply) => {
    const { channelId, userId, engine } = await targetOf(request);
    const body = parseRequest(closeBodySchema, request.body, 'body');
    const result = await engine.closeSession({
      channelId,
      userId,
      ...(body.note === undefined ? {} : { note: body.note }),
    });
    return reply.send(turnResponseSchema.parse(result));
  });

  app.get(`${prefix}/:channelId/users/:userId/events`, async (request, reply) => {
    const { userKey } = await targetOf(request);
    const query = parseRequest(eventsQuerySchema, request.query, 'query');
    const lastEventId = request.headers['last-event-id'];
    const after =
      typeof lastEventId === 'string' && /^\d+$/.test(lastEventId) ? Number(lastEventId) : query.after;

    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let lastSent = after ?? 0;
    /** Messages after the last one sent, from the mailbox (a replay, or a resync after a gap). */
    const catchUp = async () => {
      for (const entry of await stores.mailbox.after(userKey, lastSent)) write({ type: 'message', entry });
    };
    let resyncing = Promise.resolve();
    const write = (event: LiveEvent) => {
      if (event.type === 'resync') {
        // A stream that started from now, with nothing sent yet, has no place to resync from.
        if (lastSent === 0 && after === undefined) return;
        resyncing = resyncing.then(catchUp).catch(() => undefined);
        return;
      }
      if (event.type === 'typing') {
        stream.write(
          `event: typing\ndata: ${JSON.stringify({ typing: event.typing.typing, agent: event.typing.agent })}\n\n`,
        );
        return;
      }
      if (event.entry.sequence <= lastSent) return;
      lastSent = event.entry.sequence;
      stream.write(
        `id: ${event.entry.sequence}\nevent: message\ndata: ${JSON.stringify(event.entry.message)}\n\n`,
      );
    };
    // Listen first, then replay what is stored: nothing arriving in between is missed.
    const buffered: LiveEvent[] = [];
    let replaying = true;
    let closed = false;
    let unsubscribe: (() => void) | undefined;
    const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    request.raw.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      unsubscribe?.();
    });
    try {
      unsubscribe = await hub.subscribe(userKey, (event) => {
        if (replaying) buffered.push(event);
        else write(event);
      });
      if (closed) unsubscribe();
      stream.write(': connected\n\n');
      if (after !== undefined) await catchUp();
    } catch (error) {
      // The stream is open already: say why it ends, and let the client reconnect.
      request.log.warn({ err: error }, 'event stream could not start');
      stream.end(
        `event: error\ndata: ${JSON.stringify({ error: 'unavailable', message: 'live events are unavailable, reconnect later' })}\n\n`,
      );
      return;
    }
    replaying = false;
    for (const event of buffered.splice(0)) write(event);
  });
}
