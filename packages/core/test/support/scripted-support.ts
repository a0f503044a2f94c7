// Test driver: a support adapter that records every call and fails on demand.

import type {
  CloseSessionOptions,
  EnsureUserOptions,
  HandleWebhookOptions,
  OpenConversationOptions,
  PostMessagesOptions,
  SupportAdapter,
  TeamAvailability,
  TeamAvailabilityOptions,
  TransferOptions,
} from '../../src/contract/support-adapter.js';
import type { SupportCapabilities } from '../../src/contract/support-capabilities.js';
import { SupportError } from '../../src/errors/support-error.js';
import { WebhookVerificationError } from '../../src/errors/webhook-verification-error.js';
import type { SupportEvent } from '../../src/schemas/support-event.js';

export type ScriptedCall =
  | { operation: 'ensureUser'; options: Omit<EnsureUserOptions, 'signal'> }
  | { operation: 'openConversation'; options: Omit<OpenConversationOptions, 'signal'> }
  | { operation: 'postMessages'; options: Omit<PostMessagesOptions, 'signal'> }
  | { operation: 'listTeams'; options: Record<string, never> }
  | { operation: 'transfer'; options: Omit<TransferOptions, 'signal'> }
  | { operation: 'closeSession'; options: Omit<CloseSessionOptions, 'signal'> }
  | { operation: 'teamAvailability'; options: Omit<TeamAvailabilityOptions, 'signal'> };

type Operation = ScriptedCall['operation'];

const scriptedCapabilities: SupportCapabilities = {
  privateNotes: true,
  attachments: { maxBytes: 10_000_000, maxPerMessage: 15 },
  agentTyping: true,
  assignmentEvents: true,
  labels: false,
  availability: false,
  holdsConversationUntilTransfer: true,
  botAttribution: true,
  internalMode: false,
  catchUp: false,
  maxMessagesPerPost: 50,
  textLength: { max: 150_000, unit: 'utf16_units' },
  webhookFreshness: { toleranceSeconds: 300, replayWindowSeconds: 600 },
};

/**
 * A support adapter for engine tests: records every call (without the signal), answers with
 * predictable ids, and fails the next calls of an operation on demand. Webhook bodies are JSON
 * arrays of support events; the header `x-test-signature: bad` is refused.
 */
export function createScriptedSupport(capabilities: Partial<SupportCapabilities> = {}) {
  const calls: ScriptedCall[] = [];
  const failures = new Map<Operation, unknown[]>();
  let users = 0;
  let conversations = 0;
  let messages = 0;
  const availabilityByTeam = new Map<string, TeamAvailability>();

  const record = (call: ScriptedCall) => {
    const { signal: _signal, ...options } = call.options as { signal?: AbortSignal };
    calls.push({ ...call, options } as ScriptedCall);
    const queue = failures.get(call.operation);
    const failure = queue?.shift();
    if (failure !== undefined) throw failure;
  };

  const adapter: SupportAdapter = {
    provider: 'scripted',
    capabilities: { ...scriptedCapabilities, ...capabilities },
    async ensureUser(options) {
      record({ operation: 'ensureUser', options });
      users += 1;
      return { supportUserId: `user-${users}`, created: true };
    },
    async openConversation(options) {
      record({ operation: 'openConversation', options });
      conversations += 1;
      return { conversationId: `conversation-${conversations}`, recovered: false };
    },
    async postMessages(options) {
      record({ operation: 'postMessages', options: { ...options, messages: [...options.messages] } });
      return {
        posted: options.messages.map((message) => {
          messages += 1;
          return { id: message.id, supportMessageId: `message-${messages}` };
        }),
      };
    },
    async listTeams() {
      record({ operation: 'listTeams', options: {} });
      return [{ id: '2', name: 'Billing' }];
    },
    async transfer(options) {
      record({ operation: 'transfer', options });
      return { team: { id: options.team } };
    },
    async closeSession(options) {
      record({ operation: 'closeSession', options });
    },
    async teamAvailability(options) {
      record({ operation: 'teamAvailability', options });
      return availabilityByTeam.get(options.team) ?? { available: true };
    },
    async handleWebhook(options: HandleWebhookOptions) {
      const signature = options.headers['x-test-signature'];
      if (signature === 'bad') {
        throw new WebhookVerificationError({
          reason: 'invalid_signature',
          message: 'bad signature',
          provider: 'scripted',
        });
      }
      const text = typeof options.body === 'string' ? options.body : new TextDecoder().decode(options.body);
      return { events: JSON.parse(text) as SupportEvent[] };
    },
  };

  return {
    adapter,
    calls,
    /** The operations called so far, in order. */
    operations: () => calls.map((call) => call.operation),
    callsOf: <Name extends Operation>(operation: Name) =>
      calls.filter(
        (call): call is Extract<ScriptedCall, { operation: Name }> => call.operation === operation,
      ),
    /** The next calls of `operation` throw these errors, one each. */
    failNext(operation: Operation, ...errors: unknown[]) {
      failures.set(operation, [...(failures.get(operation) ?? []), ...errors]);
    },
    /** What `teamAvailability` answers for `team` from now on (default: available). */
    setAvailability(team: string, availability: TeamAvailability) {
      availabilityByTeam.set(team, availability);
    },
    reset() {
      calls.length = 0;
    },
  };
}

export function supportError(code: SupportError['code'], extra: { retryAfterMs?: number } = {}) {
  return new SupportError({ code, message: `scripted ${code}`, ...extra });
}
