import { isSupportError, type SupportAdapter, SupportError, supportOperations } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { createMemoryAdapter, type MemorySupportSystem, memoryWebhookHeaders } from '@handoff/memory';
import type { MemoryHarness } from '@handoff/memory/testing';
import type { AdapterContext } from '../conformance-target.js';

type Operation = (options: Record<string, unknown>) => Promise<unknown>;

/** Applies `change` to every operation of `adapter`. */
function everyOperation(adapter: SupportAdapter, change: (call: Operation) => Operation): SupportAdapter {
  const changed: Record<string, unknown> = { provider: adapter.provider, capabilities: adapter.capabilities };
  for (const name of [...supportOperations, 'syncConversation', 'teamAvailability'] as const) {
    const original = adapter[name] as Operation | undefined;
    if (original !== undefined) changed[name] = change(original.bind(adapter));
  }
  return changed as unknown as SupportAdapter;
}

/** The reference adapter, but its user lookups never find anything: it relies on its cache alone. */
function lookupBlind(system: MemorySupportSystem): MemorySupportSystem {
  return {
    ...system,
    request: (request) =>
      system.request(
        request.operation === 'users.find' ? { ...request, body: { externalId: '\u0000nobody' } } : request,
      ),
  };
}

/** The reference adapter for the harness's system. */
function reference(
  harness: MemoryHarness,
  context: AdapterContext,
  system: MemorySupportSystem = harness.system,
) {
  return createMemoryAdapter({ system, requestTimeoutMs: context.requestTimeoutMs });
}

/**
 * Deliberately broken variants of the reference adapter, each with one realistic bug. The kit must
 * fail exactly the points about that bug and pass all the others.
 */
export const brokenAdapters: Record<
  string,
  { create: (harness: MemoryHarness, context: AdapterContext) => SupportAdapter; fails: string[] }
> = {
  'creates duplicate users (trusts its cache, never looks up)': {
    create: (harness, context) => reference(harness, context, lookupBlind(harness.system)),
    fails: ['ensure-user/after-restart'],
  },
  'reorders messages (posts a batch backwards)': {
    create: (harness, context) => {
      const adapter = reference(harness, context);
      return {
        ...adapter,
        postMessages: (options) =>
          adapter.postMessages({ ...options, messages: [...options.messages].reverse() }),
      };
    },
    fails: ['post-messages/order-and-authors', 'post-messages/recover', 'post-messages/batch'],
  },
  "lets echoes through (relays the bot's own posts)": {
    create: (harness, context) => {
      const adapter = reference(harness, context);
      return {
        ...adapter,
        async handleWebhook(options) {
          const result = await adapter.handleWebhook(options);
          const payload = JSON.parse(String(options.body)) as {
            event: string;
            conversation: { id: string };
            message?: { id: string; author: string; private: boolean; text: string };
          };
          const posted = payload.message;
          if (
            payload.event === 'message.created' &&
            posted !== undefined &&
            !posted.private &&
            posted.author !== 'agent'
          ) {
            result.events.push({
              type: 'agent.message',
              id: `message:${posted.id}`,
              conversationId: payload.conversation.id,
              message: { id: posted.id, text: posted.text },
              agent: {},
            });
          }
          return result;
        },
      };
    },
    fails: ['agent-events/no-echo'],
  },
  "shows agents' private notes to the user (reports them as messages)": {
    create: (harness, context) => {
      const adapter = reference(harness, context);
      return {
        ...adapter,
        async handleWebhook(options) {
          const result = await adapter.handleWebhook(options);
          return {
            ...result,
            events: result.events.map((event) =>
              event.type === 'agent.note'
                ? { ...event, type: 'agent.message', message: { id: event.note.id, text: event.note.text } }
                : event,
            ),
          };
        },
      };
    },
    fails: ['agent-events/private-note', 'agent-events/note'],
  },
  'says every team is always available': {
    create: (harness, context) => ({
      ...reference(harness, context),
      teamAvailability: async () => ({ available: true }),
    }),
    fails: ['availability/offline', 'availability/unknown-team'],
  },
  'skips signature checks': {
    create: (harness, context) => {
      const adapter = reference(harness, context);
      return {
        ...adapter,
        handleWebhook(options) {
          // Re-signs whatever arrives, as if no check were made; delivery ids are still de-duplicated.
          const timestamp = Math.floor(Date.now() / 1000);
          const body = String(options.body);
          const { receivedAt: _ignored, ...rest } = options;
          return adapter.handleWebhook({
            ...rest,
            body,
            headers: {
              ...options.headers,
              [memoryWebhookHeaders.timestamp]: String(timestamp),
              [memoryWebhookHeaders.signature]: signTimestampedBody({
                secret: 'memory-webhook-secret',
                timestamp,
                body,
              }),
            },
          });
        },
      };
    },
    fails: [
      'webhook-verification/tampered-body',
      'webhook-verification/tampered-signature',
      'webhook-verification/stale',
    ],
  },
  'marks 401 retryable': {
    create: (harness, context) =>
      everyOperation(reference(harness, context), (call) => async (options) => {
        try {
          return await call(options);
        } catch (error) {
          if (isSupportError(error) && error.code === 'unauthorized') {
            throw new SupportError({ code: 'unauthorized', message: error.message, retryable: true });
          }
          throw error;
        }
      }),
    fails: ['errors/unauthorized'],
  },
  'ignores the abort signal': {
    create: (harness, context) =>
      everyOperation(reference(harness, context), (call) => (options = {}) => {
        const { signal: _ignored, ...rest } = options;
        return call(rest);
      }),
    fails: ['abort/in-flight', 'abort/before-start'],
  },
};
