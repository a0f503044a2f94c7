import { memoryWebhookHeaders } from '@handoff/memory';
import {
  addingEvents,
  agentMessageOf,
  allOperations,
  type BrokenAdapter,
  changeEveryOperation,
  changeOperations,
  everyErrorPoint,
  lookupBlind,
  reference,
  resigned,
  rewritingErrors,
  supportErrorLike,
} from './broken-adapter.js';

/** The first variants: one broken rule each, of the kinds the first kit already checked. */
export const basicBugs: Record<string, BrokenAdapter> = {
  'creates duplicate users (trusts its cache, never looks up)': {
    kind: 'basics',
    create: (harness, context) => reference(harness, context, { system: lookupBlind(harness.system) }),
    fails: [
      'ensure-user/after-restart',
      'recover/ensureUser',
      'several/user-ids',
      'several/ensure-user-repeated',
    ],
  },
  'reorders messages (posts a batch backwards)': {
    kind: 'basics',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        postMessages: (post) => (options) =>
          post({ ...options, messages: [...(options.messages as unknown[])].reverse() }),
      }),
    fails: [
      'post-messages/order-and-authors',
      'post-messages/recover',
      'post-messages/batch',
      'recover/postMessages',
      'options/post-attachments',
      'limits/messages-per-post',
      'sequences/random',
    ],
  },
  "lets echoes through (relays the bot's own posts)": {
    kind: 'basics',
    create: (harness, context) =>
      addingEvents(reference(harness, context), ({ event, message, conversation }) =>
        event === 'message.created' && message !== undefined && !message.private && message.author !== 'agent'
          ? [agentMessageOf(conversation.id, message)]
          : [],
      ),
    fails: ['agent-events/no-echo', 'echoes/webhooks'],
  },
  "shows agents' private notes to the user (reports them as messages)": {
    kind: 'basics',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        handleWebhook: (handle) => async (options) => {
          const result = (await handle(options)) as { events: Array<Record<string, unknown>> };
          return {
            ...result,
            events: result.events.map((event) =>
              event.type === 'agent.note'
                ? { ...event, type: 'agent.message', message: event.note, note: undefined }
                : event,
            ),
          };
        },
      }),
    fails: ['agent-events/private-note', 'agent-events/note', 'several/agent-events', 'sequences/random'],
  },
  'says every team is always available': {
    kind: 'basics',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        teamAvailability: () => async () => ({ available: true }),
      }),
    fails: [
      'availability/offline',
      'availability/unknown-team',
      'errors/teamAvailability',
      'abort/teamAvailability',
      'recover/reads',
    ],
  },
  'skips signature checks': {
    kind: 'basics',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        // Re-signs whatever arrives, as if no check were made; delivery ids are still de-duplicated.
        handleWebhook: (handle) => (options) => handle(resigned(harness, options)),
      }),
    fails: [
      'webhook-verification/tampered-body',
      'webhook-verification/tampered-signature',
      'webhook-verification/missing-credential',
      'webhook-verification/stale',
      'webhook-freshness/timestamp-window',
      'recover/webhook-checks',
    ],
  },
  'checks a signature only when one is sent': {
    kind: 'basics',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        // `if (signature && !valid(signature)) refuse`: a delivery without the header goes through.
        handleWebhook: (handle) => (options) => {
          const headers = options.headers as Record<string, string>;
          const signed = Object.keys(headers).some(
            (name) => name.toLowerCase() === memoryWebhookHeaders.signature,
          );
          return handle(signed ? options : resigned(harness, options));
        },
      }),
    fails: ['webhook-verification/missing-credential'],
  },
  'marks 401 retryable': {
    kind: 'basics',
    create: (harness, context) =>
      rewritingErrors(reference(harness, context), allOperations, (error) =>
        error.code === 'unauthorized' ? supportErrorLike(error, { retryable: true }) : error,
      ),
    fails: everyErrorPoint,
  },
  'ignores the abort signal': {
    kind: 'basics',
    create: (harness, context) =>
      changeEveryOperation(reference(harness, context), (call) => (options = {}) => {
        const { signal: _ignored, ...rest } = options;
        return call(rest);
      }),
    fails: [
      'abort/ensureUser',
      'abort/openConversation',
      'abort/postMessages',
      'abort/listTeams',
      'abort/transfer',
      'abort/closeSession',
      'abort/handleWebhook',
      'abort/syncConversation',
      'abort/teamAvailability',
    ],
  },
};
