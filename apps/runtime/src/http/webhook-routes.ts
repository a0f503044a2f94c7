import { WebhookVerificationError } from '@handoff/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServedChatbots } from '../chatbots/served-chatbots.js';
import { botParamsSchema } from './admin-bot-schemas.js';
import { HttpProblem, parseRequest } from './http-problem.js';
import type { RouteContext } from './route-context.js';

/** The raw request body as bytes (signatures are computed over them). */
function bytesOf(body: unknown): Uint8Array {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * `POST /v1/support/{instance}/webhook`: the raw body is kept for the signature, the events are
 * stored before the answer (Chatwoot waits 5 s and never retries) and applied after it.
 */
export function registerWebhookRoutes(
  app: FastifyInstance,
  context: RouteContext & { chatbots: ServedChatbots },
) {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scoped.post('/v1/support/:instance/webhook', async (request, reply) => {
      const { instance } = request.params as { instance: string };
      if (instance !== context.support.name) {
        throw new HttpProblem(404, 'not_found', `no support instance named ${instance}`);
      }
      try {
        const result = await context.engine.receiveWebhook({
          headers: request.headers,
          body: bytesOf(request.body),
        });
        context.metrics.webhookAccepted(instance);
        return reply.send({ received: result.events.length });
      } catch (error) {
        refused(request, instance, error);
        throw error;
      }
    });

    // A chatbot's support system calls back here; only its own secret verifies (not another's).
    scoped.post('/v1/bots/:bot/support/webhook', async (request, reply) => {
      const { bot } = parseRequest(botParamsSchema, request.params, 'path');
      const served = await context.chatbots.get(bot);
      const instance = `bot:${bot}`;
      try {
        const result = await served.engine.receiveWebhook({
          headers: request.headers,
          body: bytesOf(request.body),
        });
        context.metrics.webhookAccepted(instance);
        return reply.send({ received: result.events.length });
      } catch (error) {
        refused(request, instance, error);
        throw error;
      }
    });

    // Internal mode: Chatwoot's agent-bot webhook. The events are stored before the answer, so
    // Chatwoot never waits for the bot (it opens the conversation after failed bot webhooks).
    scoped.post('/v1/agent-bot/:instance/webhook', async (request, reply) => {
      const { instance } = request.params as { instance: string };
      const agentBot = context.agentBot;
      if (agentBot === undefined || instance !== agentBot.name) {
        throw new HttpProblem(404, 'not_found', `no agent bot named ${instance}`);
      }
      try {
        const result = await agentBot.engine.receiveWebhook({
          headers: request.headers,
          body: bytesOf(request.body),
        });
        context.metrics.webhookAccepted(`agent-bot:${instance}`);
        return reply.send({ received: result.events.length });
      } catch (error) {
        refused(request, `agent-bot:${instance}`, error);
        throw error;
      }
    });
  });

  /** Counts and logs a refused signature (never the secret or the signature itself). */
  const refused = (request: FastifyRequest, instance: string, error: unknown) => {
    if (!WebhookVerificationError.isInstance(error)) return;
    context.metrics.webhookRejected(instance, error.reason);
    request.log.warn({ instance, reason: error.reason }, 'webhook refused');
  };
}
