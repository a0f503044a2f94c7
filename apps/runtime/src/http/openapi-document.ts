import { z } from 'zod';
import { routingBodySchema } from '../chatbots/chatbot-registry.js';
import { chatbotSettingsSchema, isSecretField, newChatbotSchema } from '../chatbots/chatbot-settings.js';
import { botListQuerySchema, botParamsSchema } from './admin-bot-schemas.js';
import {
  channelParamsSchema,
  closeBodySchema,
  errorResponseSchema,
  eventsQuerySchema,
  fileParamsSchema,
  outboundMessageSchema,
  parkedParamsSchema,
  postMessageBodySchema,
  sessionResponseSchema,
  turnResponseSchema,
} from './api-schemas.js';
import {
  consoleAgentBodySchema,
  consoleAgentParamsSchema,
  consoleAvailabilityBodySchema,
  consoleConversationParamsSchema,
  consoleListQuerySchema,
  consoleNoteBodySchema,
  consoleReplyBodySchema,
  consoleTypingBodySchema,
} from './console-api-schemas.js';
import { fileNameHeader, maxFileNameLength } from './file-routes.js';

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

/** OpenAPI parameters from the zod schema a route parses its path or query with. */
const parametersOf = (schema: z.ZodObject, where: 'path' | 'query') => {
  const described = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (described.required ?? []).includes(name),
    schema: property,
  }));
};
const channelParameters = parametersOf(channelParamsSchema, 'path');
const conversationParameters = parametersOf(consoleConversationParamsSchema, 'path');
const ok = (description: string) => ({ '200': { description } });
const consoleResponses = (description: string) => ({
  ...ok(description),
  '404': { description: 'No such conversation', content: json(errorResponseSchema) },
  ...errors,
});

/** The agent console of the in-process support system (only served with it). */
const consolePaths = {
  '/v1/console/teams': {
    get: {
      summary: 'Teams and agents of the in-process system',
      responses: { ...ok('Teams and agents'), ...errors },
    },
  },
  '/v1/console/conversations': {
    get: {
      summary: 'Conversations by team and status, the latest first',
      parameters: parametersOf(consoleListQuerySchema, 'query'),
      responses: { ...ok('Conversation summaries'), ...errors },
    },
  },
  '/v1/console/conversations/{id}': {
    get: {
      summary: 'A conversation with its transcript, notes, labels and attributes',
      parameters: conversationParameters,
      responses: consoleResponses('The conversation'),
    },
  },
  '/v1/console/conversations/{id}/reply': {
    post: {
      summary: "An agent's reply, relayed to the user",
      parameters: conversationParameters,
      requestBody: { required: true, content: json(consoleReplyBodySchema, 'input') },
      responses: consoleResponses('Posted'),
    },
  },
  '/v1/console/conversations/{id}/note': {
    post: {
      summary: 'A private note for agents (the bot gets the last one as a summary)',
      parameters: conversationParameters,
      requestBody: { required: true, content: json(consoleNoteBodySchema, 'input') },
      responses: consoleResponses('Posted'),
    },
  },
  '/v1/console/conversations/{id}/typing': {
    post: {
      summary: 'Agent typing, relayed while a human holds the session',
      parameters: conversationParameters,
      requestBody: { required: true, content: json(consoleTypingBodySchema, 'input') },
      responses: consoleResponses('Relayed'),
    },
  },
  '/v1/console/conversations/{id}/assign': {
    post: {
      summary: 'Assign the conversation to an agent',
      parameters: conversationParameters,
      requestBody: { required: false, content: json(consoleAgentBodySchema, 'input') },
      responses: consoleResponses('Assigned'),
    },
  },
  '/v1/console/conversations/{id}/resolve': {
    post: {
      summary: 'Resolve the conversation: the session goes back to the bot',
      parameters: conversationParameters,
      requestBody: { required: false, content: json(consoleAgentBodySchema, 'input') },
      responses: consoleResponses('Resolved'),
    },
  },
  '/v1/console/agents/{agentId}/availability': {
    post: {
      summary: 'Whether an agent can answer now',
      parameters: parametersOf(consoleAgentParamsSchema, 'path'),
      requestBody: { required: true, content: json(consoleAvailabilityBodySchema, 'input') },
      responses: { ...ok('Set'), ...errors },
    },
  },
};

/** A JSON schema with its secret fields optional: an update that leaves one out keeps it. */
function secretsOptional(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(secretsOptional);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === 'required' && Array.isArray(value)
        ? value.filter((name) => !isSecretField(String(name)))
        : secretsOptional(value),
    ]),
  );
}
const chatbotUpdateBody = {
  'application/json': {
    schema: secretsOptional(z.toJSONSchema(chatbotSettingsSchema, { io: 'input', unrepresentable: 'any' })),
  },
};
const botParameters = parametersOf(botParamsSchema, 'path');
const ifMatchParameter = {
  name: 'if-match',
  in: 'header',
  required: false,
  description: 'The revision read (its ETag): the change applies only if it is still the stored one',
  schema: { type: 'string', pattern: '^"?[0-9]{1,15}"?$' },
};
const adminErrors = {
  ...errors,
  '403': {
    description: 'Not an admin token (a channel token, or no admin token configured)',
    content: json(errorResponseSchema),
  },
};
const chatbotResponses = (description: string) => ({
  '200': { description },
  '404': { description: 'No such chatbot', content: json(errorResponseSchema) },
  '409': {
    description: 'Another revision is stored (If-Match), or the chatbot is the configuration file’s',
    content: json(errorResponseSchema),
  },
  ...adminErrors,
});

/** The admin API of chatbots (admin tokens only); secrets are answered as `{ "set": true }`. */
const adminBotPaths = {
  '/v1/admin/bots': {
    get: {
      summary: 'Chatbots in id order, a page at a time (`next` is the `after` of the next page)',
      parameters: parametersOf(botListQuerySchema, 'query'),
      responses: { ...ok('A page of chatbots'), ...adminErrors },
    },
    post: {
      summary: 'Create a chatbot: bot connector, channels with their tokens, support, routing',
      requestBody: { required: true, content: json(newChatbotSchema, 'input') },
      responses: {
        '201': { description: 'Created, with its revision (ETag)' },
        '409': { description: 'A chatbot with this id exists', content: json(errorResponseSchema) },
        ...adminErrors,
      },
    },
  },
  '/v1/admin/bots/{bot}': {
    get: {
      summary: 'A chatbot, its secrets answered as { "set": true }',
      parameters: botParameters,
      responses: chatbotResponses('The chatbot, with its revision (ETag)'),
    },
    put: {
      summary: 'Replace a chatbot’s settings; a secret left out (or sent as { "set": true }) is kept',
      parameters: [...botParameters, ifMatchParameter],
      requestBody: { required: true, content: chatbotUpdateBody },
      responses: chatbotResponses('The chatbot as stored now'),
    },
    delete: {
      summary: 'Delete a chatbot',
      parameters: [...botParameters, ifMatchParameter],
      responses: chatbotResponses('Deleted'),
    },
  },
  '/v1/admin/bots/{bot}/routing': {
    put: {
      summary:
        'Replace a chatbot’s routing at once: shape checked, and every team against the support system (sessions handed off keep their team)',
      parameters: [...botParameters, ifMatchParameter],
      requestBody: { required: true, content: json(routingBodySchema, 'input') },
      responses: {
        ...chatbotResponses('The chatbot with its new routing'),
        '502': {
          description: 'The support system could not list its teams',
          content: json(errorResponseSchema),
        },
      },
    },
  },
  '/v1/admin/support-systems': {
    get: {
      summary:
        'The support systems a chatbot may use here: { items: [{ type, hosted? }] } (hosted: nothing to fill in, provisioned on enabling)',
      responses: { '200': { description: '{ items: [{ type, hosted? }] }' }, ...adminErrors },
    },
  },
  '/v1/admin/bots/{bot}/support/teams': {
    get: {
      summary: 'The teams of the chatbot’s support system, each id and name (the ids routing takes)',
      parameters: botParameters,
      responses: {
        ...chatbotResponses('{ items: [{ id, name }] }'),
        '502': {
          description: 'The support system could not list its teams',
          content: json(errorResponseSchema),
        },
      },
    },
  },
};

/** A file upload: the raw body with its content-type, the name in a header; `parameters` before it. */
const uploadOperation = (summary: string, parameters: readonly unknown[]) => ({
  post: {
    summary,
    parameters: [
      ...parameters,
      {
        name: fileNameHeader,
        in: 'header',
        required: false,
        description: 'The file name, UTF-8, percent-encoded',
        schema: { type: 'string', maxLength: maxFileNameLength },
      },
    ],
    requestBody: {
      required: true,
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    responses: {
      '201': { description: 'The attachment: url, contentType, name, size' },
      '413': { description: 'Larger than files.maxBytes', content: json(errorResponseSchema) },
      ...errors,
    },
  },
});

/** A support webhook: signed by the system, so no bearer token. */
const webhookOperation = (summary: string) => ({
  post: {
    summary,
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
});

/** The channel API under `prefix`: `/v1/channels` (the default chatbot) or `/v1/bots/{bot}/channels`. */
const channelPaths = (prefix: string, parameters: ReturnType<typeof parametersOf>) => ({
  [`${prefix}/{channelId}/users/{userId}/messages`]: {
    post: {
      summary: 'A user message: answered by the bot, or relayed to the human holding the session',
      parameters,
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
  [`${prefix}/{channelId}/users/{userId}/events`]: {
    get: {
      summary:
        'Server-sent events: every outbound message that arrives later (agent replies, notices) and agent typing',
      parameters: [
        ...parameters,
        ...parametersOf(eventsQuerySchema, 'query').map((parameter) => ({
          ...parameter,
          description: 'Replay stored messages after this sequence (or send Last-Event-ID); 0 for all',
        })),
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
  [`${prefix}/{channelId}/users/{userId}/session`]: {
    get: {
      summary: 'Who holds the session, the team and the support conversation',
      parameters,
      responses: {
        '200': { description: 'The session', content: json(sessionResponseSchema) },
        '404': { description: 'No session yet', content: json(errorResponseSchema) },
        ...errors,
      },
    },
  },
  [`${prefix}/{channelId}/users/{userId}/close`]: {
    post: {
      summary: 'Close the session: the support conversation is closed and the bot takes over',
      parameters,
      requestBody: { required: false, content: json(closeBodySchema, 'input') },
      responses: {
        '200': { description: 'Notices for the user', content: json(turnResponseSchema) },
        ...errors,
      },
    },
  },
});

/** The runtime's own API as an OpenAPI 3.1 document, from the same zod schemas the routes use. */
export function buildOpenApiDocument(settings: {
  serverUrl?: string | undefined;
  supportInstance: string;
  /** The agent-bot instance (internal mode), when configured. */
  agentBotInstance?: string | undefined;
  /** The in-process system's agent console is served. */
  console?: boolean;
}) {
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
      ...channelPaths('/v1/channels', channelParameters),
      ...channelPaths('/v1/bots/{bot}/channels', [...botParameters, ...channelParameters]),
      [`/v1/support/${settings.supportInstance}/webhook`]: webhookOperation(
        "The support system's webhooks (signed by it; no bearer token)",
      ),
      '/v1/bots/{bot}/support/webhook': {
        post: {
          ...webhookOperation(
            "A chatbot's support system's webhooks (signed with its secret; no bearer token)",
          ).post,
          parameters: botParameters,
          responses: {
            ...webhookOperation('').post.responses,
            '404': { description: 'No such chatbot', content: json(errorResponseSchema) },
          },
        },
      },
      ...(settings.agentBotInstance === undefined
        ? {}
        : {
            [`/v1/agent-bot/${settings.agentBotInstance}/webhook`]: webhookOperation(
              "Internal mode: Chatwoot's agent-bot webhooks (signed by it; no bearer token)",
            ),
          }),
      '/v1/files': uploadOperation(
        'Upload a file (the raw body, its content-type); answers the attachment to send',
        [],
      ),
      '/v1/bots/{bot}/files': uploadOperation(
        "Upload a file for a chatbot's users (a channel token of the chatbot); answers the attachment to send",
        botParameters,
      ),
      '/v1/files/{id}/{name}': {
        get: {
          summary: 'A stored file (the random id is the key: no bearer token)',
          security: [],
          parameters: parametersOf(fileParamsSchema, 'path'),
          responses: {
            '200': { description: 'The file, sandboxed' },
            '400': { description: 'Not a file id', content: json(errorResponseSchema) },
            '404': {
              description: 'No such file (files are kept 30 days)',
              content: json(errorResponseSchema),
            },
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
          parameters: parametersOf(parkedParamsSchema, 'path'),
          responses: {
            '200': { description: 'Requeued' },
            '404': { description: 'No such parked delivery' },
            ...errors,
          },
        },
      },
      ...adminBotPaths,
      ...(settings.console === true ? consolePaths : {}),
      '/openapi.json': {
        get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
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
