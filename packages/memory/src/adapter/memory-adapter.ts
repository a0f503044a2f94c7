import { createHash } from 'node:crypto';
import {
  createMemoryReplayGuard,
  parseConfiguration,
  type ReplayGuard,
  type SupportAdapter,
  type SupportCapabilities,
  type SupportEvent,
  WebhookVerificationError,
} from '@handoff/core';
import {
  callWithDeadline,
  errorFromResponse,
  errorFromTransportFailure,
  invalidResponseError,
  parseRetryAfter,
  parseWebhookJson,
  readHeader,
  refuseReplayedDelivery,
  verifyTimestampedSignature,
} from '@handoff/http';
import { z } from 'zod';
import type { MemoryApiOperation, MemorySupportSystem } from '../system/memory-support-system.js';
import { memoryWebhookHeaders } from '../system/webhook-emitter.js';
import { memoryWebhookPayloadSchema, type ParsedMemoryWebhook } from './memory-webhook-payload.js';

export interface MemoryAdapterSettings {
  /** The in-process support system to talk to. */
  system: MemorySupportSystem;
  /** The API token the system accepts (`system.credentials.apiToken`). */
  apiToken: string;
  /** The key the system signs its webhooks with (`system.credentials.webhookSecret`). */
  webhookSecret: string;
  /** A call without an answer fails with `timeout` after this long. Default 10 s. */
  requestTimeoutMs?: number;
  /** Webhooks signed longer ago (or further ahead) than this are refused. Default and most 300 s. */
  webhookToleranceSeconds?: number;
  /** Remembers delivery ids to refuse replays. Default: in process memory. */
  replayGuard?: ReplayGuard;
}

const settingsSchema = z.object({
  apiToken: z.string().min(16, 'must be at least 16 characters'),
  webhookSecret: z.string().min(16, 'must be at least 16 characters'),
  requestTimeoutMs: z.number().int().positive().default(10_000),
  webhookToleranceSeconds: z.number().int().positive().max(300).default(300),
});

export const memoryCapabilities: SupportCapabilities = {
  privateNotes: true,
  attachments: { maxBytes: 25 * 1024 * 1024, maxPerMessage: 15 },
  agentTyping: true,
  assignmentEvents: true,
  labels: true,
  availability: true,
  holdsConversationUntilTransfer: true,
  botAttribution: true,
  internalMode: false,
  catchUp: true,
  maxMessagesPerPost: 100,
  // The system's API counts JavaScript string length.
  textLength: { max: 150_000, unit: 'utf16_units' },
  webhookFreshness: { toleranceSeconds: 300, replayWindowSeconds: 600 },
};

const provider = 'memory';

// Minimal schemas of the API answers: only what the adapter reads.
const userSchema = z.object({ id: z.string() });
const responses = {
  usersFind: z.object({ users: z.array(userSchema) }),
  usersCreate: z.object({ user: userSchema }),
  conversation: z.object({ conversation: z.object({ id: z.string() }) }),
  conversationsFind: z.object({ conversations: z.array(z.object({ id: z.string(), status: z.string() })) }),
  messagesCreate: z.object({
    messages: z.array(z.object({ id: z.string(), sourceKey: z.string().nullable() })),
  }),
  teamsList: z.object({ teams: z.array(z.object({ id: z.string(), name: z.string() })) }),
  teamAvailability: z.object({ available: z.boolean() }),
  messagesList: z.object({
    conversation: z.object({
      id: z.string(),
      status: z.string(),
      attributes: z.record(z.string(), z.unknown()).default({}),
    }),
    messages: z.array(z.unknown()),
  }),
};

/** Notes are keyed by their content, so a retried transfer or close never adds a second copy. */
function noteKey(kind: string, note: string): string {
  return `${kind}:${createHash('sha256').update(note).digest('hex').slice(0, 32)}`;
}

/** The adapter of the in-process support system: the reference implementation of the contract. */
export function createMemoryAdapter(settings: MemoryAdapterSettings): SupportAdapter {
  const { system } = settings;
  const options = parseConfiguration(
    settingsSchema,
    {
      apiToken: settings.apiToken,
      webhookSecret: settings.webhookSecret,
      requestTimeoutMs: settings.requestTimeoutMs,
      webhookToleranceSeconds: settings.webhookToleranceSeconds,
    },
    { source: 'memory adapter settings' },
  );
  const replayGuard = settings.replayGuard ?? createMemoryReplayGuard();
  const userIds = new Map<string, string>();

  const call = async <Schema extends z.ZodType>(
    operation: string,
    apiOperation: MemoryApiOperation,
    body: unknown,
    schema: Schema,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; data: z.output<Schema> }> => {
    const context = { provider, operation };
    const response = await callWithDeadline(
      context,
      { signal, timeoutMs: options.requestTimeoutMs },
      (deadline) =>
        system.request({ operation: apiOperation, token: options.apiToken, body, signal: deadline }),
    );
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(response.body);
    } catch {
      if (response.status >= 200 && response.status < 300) {
        throw invalidResponseError(context, 'the body is not JSON', response.body);
      }
      parsedBody = response.body;
    }
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse(context, {
        status: response.status,
        body: parsedBody,
        retryAfterMs: parseRetryAfter(response.headers['retry-after']),
      });
    }
    const result = schema.safeParse(parsedBody);
    if (!result.success)
      throw invalidResponseError(context, result.error.issues[0]?.message ?? 'unexpected shape', parsedBody);
    return { status: response.status, data: result.data };
  };

  const findUser = async (externalId: string, signal: AbortSignal | undefined) => {
    const { data } = await call('ensureUser', 'users.find', { externalId }, responses.usersFind, signal);
    return data.users[0]?.id;
  };

  const toEvents = (payload: ParsedMemoryWebhook, deliveryId: string): SupportEvent[] => {
    const conversationId = payload.conversation.id;
    const sessionId = payload.conversation.attributes.sessionId;
    const base = { conversationId, ...(typeof sessionId === 'string' ? { sessionId } : {}) };
    switch (payload.event) {
      case 'message.created': {
        const message = payload.message;
        // Echo rules: only what a human agent wrote. Everything the adapter posted (user turns, bot
        // turns, its own notes) carries a source key. An agent's private note is reported as a note,
        // never as a message for the user.
        if (message.sourceKey !== undefined) return [];
        const agent = message.agent === undefined ? {} : { id: message.agent.id, name: message.agent.name };
        if (message.author === 'note' && message.agent !== undefined) {
          return [
            {
              type: 'agent.note',
              id: `note:${message.id}`,
              ...base,
              occurredAt: message.createdAt,
              note: { id: message.id, text: message.text },
              agent,
            },
          ];
        }
        if (message.author !== 'agent' || message.private) return [];
        return [
          {
            type: 'agent.message',
            id: `message:${message.id}`,
            ...base,
            occurredAt: message.createdAt,
            message: {
              id: message.id,
              text: message.text,
              ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
            },
            agent,
          },
        ];
      }
      case 'typing':
        return [
          {
            type: 'agent.typing',
            id: `typing:${deliveryId}`,
            ...base,
            typing: payload.typing,
            agent: { id: payload.agent.id, name: payload.agent.name },
          },
        ];
      case 'conversation.assigned':
        return [
          {
            type: 'agent.assigned',
            id: `assigned:${deliveryId}`,
            ...base,
            agent: { id: payload.agent.id, name: payload.agent.name },
          },
        ];
      case 'conversation.resolved':
        return [
          {
            type: 'conversation.closed',
            id: `closed:${conversationId}`,
            ...base,
            ...(payload.resolvedAt === undefined ? {} : { occurredAt: payload.resolvedAt }),
            closedBy: payload.resolvedBy.type === 'api' ? 'bot' : 'agent',
            ...(payload.resolvedBy.type === 'agent'
              ? { agent: { id: payload.resolvedBy.agent.id, name: payload.resolvedBy.agent.name } }
              : {}),
          },
        ];
      case 'conversation.transferred':
        return [];
    }
  };

  return {
    provider,
    capabilities: {
      ...memoryCapabilities,
      webhookFreshness: {
        toleranceSeconds: options.webhookToleranceSeconds,
        replayWindowSeconds: options.webhookToleranceSeconds * 2,
      },
    },

    async ensureUser({ user, signal }) {
      const cached = userIds.get(user.id);
      if (cached !== undefined) return { supportUserId: cached, created: false };
      const existing = await findUser(user.id, signal);
      if (existing !== undefined) {
        userIds.set(user.id, existing);
        return { supportUserId: existing, created: false };
      }
      const { data } = await call(
        'ensureUser',
        'users.create',
        {
          externalId: user.id,
          ...(user.name === undefined ? {} : { name: user.name }),
          ...(user.email === undefined ? {} : { email: user.email }),
          ...(user.phone === undefined ? {} : { phone: user.phone }),
          ...(user.attributes === undefined ? {} : { attributes: user.attributes }),
        },
        responses.usersCreate,
        signal,
      );
      userIds.set(user.id, data.user.id);
      return { supportUserId: data.user.id, created: true };
    },

    async openConversation({ supportUserId, sessionId, handoffId, recover, attributes, signal }) {
      if (recover) {
        const { data } = await call(
          'openConversation',
          'conversations.find',
          { handoffKey: handoffId },
          responses.conversationsFind,
          signal,
        );
        const found = data.conversations.find((conversation) => conversation.status !== 'resolved');
        if (found !== undefined) return { conversationId: found.id, recovered: true };
      }
      const { data } = await call(
        'openConversation',
        'conversations.create',
        { userId: supportUserId, handoffKey: handoffId, attributes: { ...attributes, sessionId } },
        responses.conversation,
        signal,
      );
      return { conversationId: data.conversation.id, recovered: false };
    },

    async postMessages({ conversationId, messages, signal }) {
      if (messages.length === 0) return { posted: [] };
      const { data } = await call(
        'postMessages',
        'messages.create',
        {
          conversationId,
          messages: messages.map((message) => ({
            author: message.author,
            text: message.text,
            sourceKey: message.id,
            ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
          })),
        },
        responses.messagesCreate,
        signal,
      );
      return {
        posted: messages.map((message, index) => ({
          id: message.id,
          supportMessageId: data.messages[index]?.id ?? '',
        })),
      };
    },

    async listTeams(callOptions = {}) {
      const { data } = await call('listTeams', 'teams.list', {}, responses.teamsList, callOptions.signal);
      return data.teams.map((team) => ({ id: team.id, name: team.name }));
    },

    async transfer({ conversationId, team, note, labels, signal }) {
      await call(
        'transfer',
        'conversations.transfer',
        {
          id: conversationId,
          teamId: team,
          ...(labels === undefined || labels.length === 0 ? {} : { labels }),
          ...(note === undefined ? {} : { note, noteKey: noteKey('transfer', note) }),
        },
        responses.conversation,
        signal,
      );
      return { team: { id: team } };
    },

    async teamAvailability({ team, signal }) {
      const { data } = await call(
        'teamAvailability',
        'teams.availability',
        { teamId: team },
        responses.teamAvailability,
        signal,
      );
      return data.available ? { available: true } : { available: false, reason: 'no_agents' };
    },

    async closeSession({ conversationId, note, signal }) {
      await call(
        'closeSession',
        'conversations.resolve',
        { id: conversationId, ...(note === undefined ? {} : { note, noteKey: noteKey('close', note) }) },
        responses.conversation,
        signal,
      );
    },

    async syncConversation({ conversationId, afterMessageId, signal }) {
      const { data } = await call(
        'syncConversation',
        'messages.list',
        { conversationId, ...(afterMessageId === undefined ? {} : { after: afterMessageId }) },
        responses.messagesList,
        signal,
      );
      // The same translation (and echo rules) as the webhooks, so the event ids match.
      const conversation = { id: data.conversation.id, attributes: data.conversation.attributes };
      const events = data.messages.flatMap((message) => {
        const parsed = memoryWebhookPayloadSchema.safeParse({
          event: 'message.created',
          conversation,
          message,
        });
        return parsed.success ? toEvents(parsed.data, '') : [];
      });
      if (data.conversation.status === 'resolved') {
        events.push({
          type: 'conversation.closed',
          id: `closed:${conversationId}`,
          conversationId,
          closedBy: 'agent',
        });
      }
      return { events };
    },

    async handleWebhook({ headers, body, receivedAt, signal }) {
      if (signal?.aborted) {
        throw errorFromTransportFailure({ provider, operation: 'handleWebhook' }, signal.reason, {
          caller: signal,
        });
      }
      verifyTimestampedSignature({
        secret: options.webhookSecret,
        timestamp: readHeader(headers, memoryWebhookHeaders.timestamp),
        signature: readHeader(headers, memoryWebhookHeaders.signature),
        body,
        toleranceSeconds: options.webhookToleranceSeconds,
        provider,
        ...(receivedAt === undefined ? {} : { receivedAt }),
      });
      const deliveryId = readHeader(headers, memoryWebhookHeaders.delivery);
      if (deliveryId === undefined || deliveryId === '') {
        throw new WebhookVerificationError({
          reason: 'malformed_body',
          message: 'the delivery id header is missing',
          provider,
        });
      }
      await refuseReplayedDelivery(replayGuard, {
        provider,
        deliveryId,
        ttlMs: options.webhookToleranceSeconds * 2_000,
      });
      const json = parseWebhookJson(body, provider);
      const parsed = memoryWebhookPayloadSchema.safeParse(json);
      // An event this adapter does not know is not an error: the system may grow new ones.
      if (!parsed.success) return { deliveryId, events: [] };
      return { deliveryId, events: toEvents(parsed.data, deliveryId) };
    },
  };
}
