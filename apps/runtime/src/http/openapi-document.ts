import { z } from 'zod';
import {
  closeBodySchema,
  errorResponseSchema,
  outboundMessageSchema,
  postMessageBodySchema,
  sessionResponseSchema,
  turnResponseSchema,
} from './api-schemas.js';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({
  'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) },
});
const errors = {
  '400': {
    description: 'Invalid request; `issues` names each bad field',
    content: json(errorResponseSchema),
  },
  '401': { description: 'Missing or invalid bearer token', content: json(errorResponseSchema) },
  '403': { description: 'The token may not use this channel', content: json(errorResponseSchema) },
  '503': {
    description: '`storage_unavailable`: nothing was stored; send the same request again after `Retry-After`',
    content: json(errorResponseSchema),
  },
};
const channelParameters = ['channelId', 'userId'].map((name) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', minLength: 1, maxLength: 200 },
}));

/** The runtime's own API as an OpenAPI 3.1 document, from the same zod schemas the routes use. */
export function buildOpenApiDocument(settings: { serverUrl?: string | undefined; supportInstance: string }) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Handoff runtime',
      version: '0.1.0',
      description:
        'Channel API (bot replies now, agent messages later by server-sent events or signed callbacks) and support webhooks.',
    },
    ...(settings.serverUrl === undefined ? {} : { servers: [{ url: settings.serverUrl }] }),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { OutboundMessage: z.toJSONSchema(outboundMessageSchema, { unrepresentable: 'any' }) },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/channels/{channelId}/users/{userId}/messages': {
        post: {
          summary: 'A user message: answered by the bot, or relayed to the human holding the session',
          parameters: channelParameters,
          requestBody: { required: true, content: json(postMessageBodySchema, 'input') },
          responses: {
            '200': {
              description: 'Bot replies and notices (none while a human holds the session)',
              content: json(turnResponseSchema),
            },
            ...errors,
            '502': {
              description: 'The bot failed; send the message again',
              content: json(errorResponseSchema),
            },
          },
        },
      },
      '/v1/channels/{channelId}/users/{userId}/events': {
        get: {
          summary:
            'Server-sent events: every outbound message that arrives later (agent replies, notices) and agent typing',
          parameters: [
            ...channelParameters,
            {
              name: 'after',
              in: 'query',
              schema: { type: 'integer', minimum: 0 },
              description: 'Replay stored messages after this sequence (or send Last-Event-ID); 0 for all',
            },
          ],
          responses: {
            '200': {
              description: '`event: message` (id = sequence, data = OutboundMessage) and `event: typing`',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errors,
          },
        },
      },
      '/v1/channels/{channelId}/users/{userId}/session': {
        get: {
          summary: 'Who holds the session, the team and the support conversation',
          parameters: channelParameters,
          responses: {
            '200': { description: 'The session', content: json(sessionResponseSchema) },
            '404': { description: 'No session yet', content: json(errorResponseSchema) },
            ...errors,
          },
        },
      },
      '/v1/channels/{channelId}/users/{userId}/close': {
        post: {
          summary: 'Close the session: the support conversation is closed and the bot takes over',
          parameters: channelParameters,
          requestBody: { required: false, content: json(closeBodySchema, 'input') },
          responses: {
            '200': { description: 'Notices for the user', content: json(turnResponseSchema) },
            ...errors,
          },
        },
      },
      [`/v1/support/${settings.supportInstance}/webhook`]: {
        post: {
          summary: "The support system's webhooks (signed by it; no bearer token)",
          security: [],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            '200': { description: 'Stored; applied after the answer' },
            '400': { description: 'Malformed body', content: json(errorResponseSchema) },
            '401': {
              description: 'Bad or missing signature, or a stale timestamp',
              content: json(errorResponseSchema),
            },
            '409': { description: 'A replayed delivery', content: json(errorResponseSchema) },
          },
        },
      },
      '/v1/admin/parked': {
        get: {
          summary: 'Deliveries that keep failing for a reason retries cannot fix',
          responses: { '200': { description: 'Parked deliveries with their reasons' }, ...errors },
        },
      },
      '/v1/admin/parked/{id}/retry': {
        post: {
          summary: 'Put a parked delivery back in its queue',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'Requeued' },
            '404': { description: 'No such parked delivery' },
            ...errors,
          },
        },
      },
      '/healthz': {
        get: { summary: 'Liveness', security: [], responses: { '200': { description: 'Alive' } } },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: storage reachable',
          security: [],
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          security: [],
          responses: { '200': { description: 'text/plain exposition format' } },
        },
      },
    },
  };
}
