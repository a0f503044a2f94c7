import type { FastifyInstance } from 'fastify';
import { parkedParamsSchema } from './api-schemas.js';
import { parseRequest } from './http-problem.js';
import type { RouteContext } from './route-context.js';

/** Liveness, readiness, metrics, and the parked deliveries (operators' routes). */
export function registerOperationsRoutes(app: FastifyInstance, context: RouteContext) {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await context.stores.ping();
      const counts = await context.engine.outbox.counts();
      return reply.send({ status: 'ready', storage: 'ok', outbox: counts });
    } catch (error) {
      return reply.status(503).send({ status: 'unavailable', storage: (error as Error).message });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    return reply
      .header('content-type', context.metrics.registry.contentType)
      .send(await context.metrics.registry.metrics());
  });

  app.get('/v1/admin/parked', async (request, reply) => {
    context.auth.authenticate(request.headers.authorization);
    const parked = await context.engine.outbox.listParked({ limit: 500 });
    return reply.send({
      items: parked.map((item) => ({
        id: item.id,
        kind: item.kind,
        lane: item.lane,
        reason: item.reason,
        attempts: item.attempts,
        parkedAt: new Date(item.parkedAt).toISOString(),
      })),
    });
  });

  app.post('/v1/admin/parked/:id/retry', async (request, reply) => {
    context.auth.authenticate(request.headers.authorization);
    const { id } = parseRequest(parkedParamsSchema, request.params, 'path');
    if (!(await context.engine.outbox.requeue(id))) {
      return reply.status(404).send({ error: 'not_found', message: `no parked delivery ${id}` });
    }
    context.engine.wake();
    return reply.send({ requeued: id });
  });
}
