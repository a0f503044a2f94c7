import {
  type SupportAdapter,
  type SupportCapabilities,
  SupportError,
  type SupportOperation,
} from '@handoff/core';
import { resolveSunshineSettings, type SunshineSettings } from './sunshine-settings.js';

const provider = 'sunshine';

/**
 * What Sunshine Conversations can do, as the engine and the kit read it. Start with everything off and turn a
 * capability on when the adapter and the fake both do it: the kit checks each one you claim.
 */
export const sunshineCapabilities: SupportCapabilities = {
  privateNotes: false,
  attachments: false,
  agentTyping: false,
  assignmentEvents: false,
  labels: false,
  availability: false,
  holdsConversationUntilTransfer: false,
  botAttribution: false,
  internalMode: false,
  catchUp: false,
  maxMessagesPerPost: 1,
  // The longest text Sunshine Conversations keeps, in the unit it counts (its API reference, or its source).
  textLength: { max: 150_000, unit: 'utf16_units' },
  // How long a signed timestamp stays good (at most 300 s; drop it if Sunshine Conversations signs none) and how
  // long a delivery id is remembered to refuse a replay.
  webhookFreshness: { toleranceSeconds: 300, replayWindowSeconds: 600 },
};

/** Where the guide explains each operation. */
const guide: Record<SupportOperation, string> = {
  ensureUser: 'CONTRIBUTING.md#ensureuser',
  openConversation: 'CONTRIBUTING.md#openconversation',
  postMessages: 'CONTRIBUTING.md#postmessages',
  listTeams: 'CONTRIBUTING.md#listteams',
  transfer: 'CONTRIBUTING.md#transfer',
  closeSession: 'CONTRIBUTING.md#closesession',
  handleWebhook: 'CONTRIBUTING.md#handlewebhook',
};

/** The error every operation throws until it is written. */
function notBuiltYet(operation: SupportOperation): never {
  throw new SupportError({
    code: 'unsupported',
    message: `${operation} is not built yet in @handoff/sunshine: see ${guide[operation]}`,
    provider,
    operation,
  });
}

/**
 * The Sunshine Conversations adapter (external mode). Every operation throws an `unsupported` error naming the
 * part of the guide that explains it; replace them one at a time, running the kit after each
 * (`pnpm --filter @handoff/sunshine conformance`).
 */
export function createSunshineAdapter(settings: SunshineSettings = {}): SupportAdapter {
  // Validated up front, so a missing token is a clear error at start, not at the first handoff.
  resolveSunshineSettings(settings);
  return {
    provider,
    capabilities: sunshineCapabilities,
    ensureUser: async () => notBuiltYet('ensureUser'),
    openConversation: async () => notBuiltYet('openConversation'),
    postMessages: async () => notBuiltYet('postMessages'),
    listTeams: async () => notBuiltYet('listTeams'),
    transfer: async () => notBuiltYet('transfer'),
    closeSession: async () => notBuiltYet('closeSession'),
    handleWebhook: async () => notBuiltYet('handleWebhook'),
  };
}
