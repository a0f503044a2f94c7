import { WebhookVerificationError } from '@handoff/core';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './http-problem.js';
import type { RouteContext } from './route-context.js';

/**
 * `POST /v1/support/{instance}/webhook`: the raw body is kept for the signature, the events are
 * stored before the answer (Chatwoot waits 5 s and never retries) and applied after it.
 */
export function registerWebhookRoutes(app: FastifyInstance, context: RouteContext) {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scoped.post('/v1/support/:instance/webhook', async (request, reply) => {
      const { instance } = request.params as { instance: string };
      if (instance !== context.support.name) {
        throw new HttpProblem(404, 'not_found', `no support instance named ${instance}`);
      }
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      try {
        const result = await context.engine.receiveWebhook({
          headers: request.headers,
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
        });
        context.metrics.webhookAccepted(instance);
        return reply.send({ received: result.events.length });
      } catch (error) {
        if (WebhookVerificationError.isInstance(error)) {
          context.metrics.webhookRejected(instance, error.reason);
          request.log.warn({ instance, reason: error.reason }, 'support webhook refused');
        }
        throw error;
      }
    });
  });
}
