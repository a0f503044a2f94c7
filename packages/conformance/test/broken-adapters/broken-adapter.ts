import {
  isSupportError,
  type SupportAdapter,
  type SupportCapabilities,
  SupportError,
  type SupportEvent,
  supportOperations,
} from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import {
  createMemoryAdapter,
  type MemoryAdapterSettings,
  type MemorySupportSystem,
  memoryWebhookHeaders,
} from '@handoff/memory';
import type { MemoryHarness } from '@handoff/memory/testing';
import type { AdapterContext } from '../../src/index.js';

/** The kinds of bug the broken variants cover, as the conformance README counts them. */
export type BugKind =
  | 'basics'
  | 'inputs and nth call'
  | 'options in combination'
  | 'several of everything'
  | 'one operation, not the others'
  | 'secrets'
  | 'time'
  | 'recover'
  | 'echoes'
  | 'limits';

/** A realistic broken variant of the reference adapter: one rule broken, subtly. */
export interface BrokenAdapter {
  kind: BugKind;
  create: (harness: MemoryHarness, context: AdapterContext) => SupportAdapter;
  /** The points that must fail, and no others. */
  fails: string[];
}

export type Operation = (options: Record<string, unknown>) => Promise<unknown>;

export const allOperations = [...supportOperations, 'syncConversation', 'teamAvailability'] as const;
export type AnyOperation = (typeof allOperations)[number];

/** The reference adapter for the harness's system, as the kit's own target configures it. */
export function reference(
  harness: MemoryHarness,
  context: AdapterContext,
  settings: Partial<MemoryAdapterSettings> = {},
): SupportAdapter {
  return createMemoryAdapter({
    system: harness.system,
    ...harness.credentials,
    requestTimeoutMs: context.requestTimeoutMs,
    replayGuard: context.replayGuard,
    ...settings,
  });
}

/** `adapter` with some operations replaced (each gets the original, bound). */
export function changeOperations(
  adapter: SupportAdapter,
  changes: Partial<Record<AnyOperation, (original: Operation) => Operation>>,
): SupportAdapter {
  const changed: Record<string, unknown> = { provider: adapter.provider, capabilities: adapter.capabilities };
  for (const name of allOperations) {
    const original = adapter[name] as Operation | undefined;
    if (original === undefined) continue;
    const bound = original.bind(adapter);
    const change = changes[name];
    changed[name] = change === undefined ? bound : change(bound);
  }
  return changed as unknown as SupportAdapter;
}

/** `adapter` with every operation replaced the same way. */
export function changeEveryOperation(
  adapter: SupportAdapter,
  change: (original: Operation, name: AnyOperation) => Operation,
): SupportAdapter {
  return changeOperations(
    adapter,
    Object.fromEntries(allOperations.map((name) => [name, (original: Operation) => change(original, name)])),
  );
}

/** `adapter` declaring other capabilities than it has. */
export function declaring(adapter: SupportAdapter, changes: Partial<SupportCapabilities>): SupportAdapter {
  return Object.assign(changeOperations(adapter, {}), {
    capabilities: { ...adapter.capabilities, ...changes },
  });
}

/** Rewrites the SupportErrors `operations` throw. */
export function rewritingErrors(
  adapter: SupportAdapter,
  operations: readonly AnyOperation[],
  rewrite: (error: SupportError) => SupportError,
): SupportAdapter {
  return changeOperations(
    adapter,
    Object.fromEntries(
      operations.map((name) => [
        name,
        (original: Operation) => async (options: Record<string, unknown>) => {
          try {
            return await original(options);
          } catch (error) {
            throw isSupportError(error) ? rewrite(error) : error;
          }
        },
      ]),
    ),
  );
}

/** A copy of `error` with some of its fields changed. */
export function supportErrorLike(
  error: SupportError,
  changes: Partial<ConstructorParameters<typeof SupportError>[0]>,
) {
  return new SupportError({
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.status === undefined ? {} : { status: error.status }),
    vendorBody: error.vendorBody,
    ...(error.provider === undefined ? {} : { provider: error.provider }),
    ...(error.operation === undefined ? {} : { operation: error.operation }),
    ...changes,
  });
}

/** The in-process system's webhook, as far as the variants read it. */
export interface MemoryWebhook {
  event: string;
  conversation: { id: string; attributes?: Record<string, unknown> };
  message?: {
    id: string;
    author: string;
    private: boolean;
    text: string;
    sourceKey?: string;
    attachments?: unknown[];
  };
}

function memoryWebhook(body: string | Uint8Array): MemoryWebhook {
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as MemoryWebhook;
}

/** Every per-operation error point: a bug in every operation fails them all. */
export const everyErrorPoint = [
  'errors/ensureUser',
  'errors/openConversation',
  'errors/postMessages',
  'errors/listTeams',
  'errors/transfer',
  'errors/closeSession',
  'errors/syncConversation',
  'errors/teamAvailability',
];

/** The system, but its user look-ups never find anything (an adapter trusting its cache alone). */
export function lookupBlind(system: MemorySupportSystem): MemorySupportSystem {
  return {
    ...system,
    request: (request) =>
      system.request(
        request.operation === 'users.find' ? { ...request, body: { externalId: '\u0000nobody' } } : request,
      ),
  };
}

/** The webhook options with a fresh, valid signature over whatever body they carry (no check made). */
export function resigned(harness: MemoryHarness, options: Record<string, unknown>): Record<string, unknown> {
  const timestamp = Math.floor(Date.now() / 1000);
  const body = String(options.body);
  const { receivedAt: _ignored, ...rest } = options;
  return {
    ...rest,
    body,
    headers: {
      ...(options.headers as Record<string, string>),
      [memoryWebhookHeaders.timestamp]: String(timestamp),
      [memoryWebhookHeaders.signature]: signTimestampedBody({
        secret: harness.credentials.webhookSecret,
        timestamp,
        body,
      }),
    },
  };
}

/** An agent.message event for a message of the in-process system, as a careless adapter makes one. */
export function agentMessageOf(conversationId: string, message: { id: string; text: string }): SupportEvent {
  return {
    type: 'agent.message',
    id: `message:${message.id}`,
    conversationId,
    message: { id: message.id, text: message.text },
    agent: {},
  };
}

/** Adds `extra(webhook)` to the events of every webhook. */
export function addingEvents(
  adapter: SupportAdapter,
  extra: (webhook: MemoryWebhook) => SupportEvent[],
): SupportAdapter {
  return changeOperations(adapter, {
    handleWebhook: (handle) => async (options) => {
      const result = (await handle(options)) as { events: SupportEvent[] };
      return { ...result, events: [...result.events, ...extra(memoryWebhook(options.body as string))] };
    },
  });
}

/** Rewrites the events of every webhook. */
export function rewritingEvents(
  adapter: SupportAdapter,
  rewrite: (events: SupportEvent[]) => SupportEvent[],
): SupportAdapter {
  return changeOperations(adapter, {
    handleWebhook: (handle) => async (options) => {
      const result = (await handle(options)) as { events: SupportEvent[] };
      return { ...result, events: rewrite(result.events) };
    },
  });
}

/** An operation that answers `fallback(error)` instead of throwing the errors `swallows` picks. */
export function swallowing(
  swallows: (error: SupportError) => boolean,
  fallback: (error: SupportError, options: Record<string, unknown>) => unknown,
): (original: Operation) => Operation {
  return (original) => async (options) => {
    try {
      return await original(options);
    } catch (error) {
      if (isSupportError(error) && swallows(error)) return fallback(error, options);
      throw error;
    }
  };
}
