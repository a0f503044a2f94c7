import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '@handoff/core';
import { systemActor } from './fake-actor.js';
import { agentBotRoutes } from './fake-agent-bot-routes.js';
import { assignmentRoutes } from './fake-assignment-routes.js';
import { contactRoutes } from './fake-contact-routes.js';
import type { FakeContext } from './fake-context.js';
import { conversationActionRoutes } from './fake-conversation-action-routes.js';
import { conversationRoutes } from './fake-conversation-routes.js';
import { updateConversation } from './fake-conversation-updates.js';
import { createFaultQueue, type FakeFault, type RandomFaults } from './fake-fault-injection.js';
import { inboxRoutes } from './fake-inbox-routes.js';
import { markMessageFailed } from './fake-message-creation.js';
import { messageRoutes } from './fake-message-routes.js';
import { addActivityMessage } from './fake-message-store.js';
import { createRateLimiter } from './fake-rate-limit.js';
import type {
  FakeContact,
  FakeConversation,
  FakeNotification,
  FakeTeam,
  FakeUser,
  FakeWorkingHours,
} from './fake-records.js';
import { createRequestHandler, type RecordedRequest } from './fake-request-handler.js';
import { createAccountRouter } from './fake-router.js';
import { seedAgentBotId, seedTokens } from './fake-seed.js';
import type { FakeChatwootSettings } from './fake-settings.js';
import { createFakeState, findConversation } from './fake-state.js';
import { teamRoutes } from './fake-team-routes.js';
import { createFakeWebhooks } from './fake-webhook-routing.js';

export type { FakeChatwootSettings } from './fake-settings.js';

/** A running fake Chatwoot v4.15.1 account with one API inbox, on 127.0.0.1. */
export interface FakeChatwoot {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  accountId: number;
  /** An API inbox ("Channel::Api"). */
  inboxId: number;
  /** HMAC key of the inbox webhook signatures. */
  inboxSecret: string;
  tokens: { admin: string; agent: string; offlineAgent: string; bot: string };
  /** An account agent bot ("Handoff bot") that is NOT attached to the inbox. */
  agentBotId: number;
  /** Every request not made by the harness, in order. */
  requests: RecordedRequest[];
  /** Receives every webhook delivery (headers as a Node server would see them, and the raw body). */
  subscribe(listener: (request: WebhookRequest) => void | Promise<void>): () => void;
  /** Receives every agent-bot webhook delivery (signed with the bot's secret). */
  subscribeBot(listener: (request: WebhookRequest) => void | Promise<void>): () => void;
  /** HMAC key of the agent bot's webhook signatures. */
  agentBotSecret: string;
  /**
   * Sets the agent bot's `outgoing_url` and attaches it to the inbox (or detaches it), as an
   * administrator would in the agent bot and inbox settings.
   */
  setAgentBot(changes: { outgoingUrl?: string | undefined; attached?: boolean }): void;
  /** Makes the next `times` (default 1) non-harness requests fail this way. */
  injectFault(fault: FakeFault, times?: number): void;
  /** Fails this share of non-harness requests at random (seeded), after any queued faults. */
  setRandomFaults(settings: RandomFaults | undefined): void;
  /** Faults injected so far, by kind. */
  faultsInjected(): Record<string, number>;
  setInbox(changes: {
    lockToSingleConversation?: boolean;
    enableAutoAssignment?: boolean;
    webhookUrl?: string | undefined;
    workingHoursEnabled?: boolean;
    timezone?: string;
    /** Replaces the rows of these weekdays. */
    workingHours?: FakeWorkingHours[];
  }): void;
  /** Sets a user's effective availability, as their status menu or presence would. */
  setAvailability(userId: number, availability: FakeUser['availability']): void;
  /** Copies of the state, for tests and the harness. */
  contacts(): FakeContact[];
  conversation(displayId: number): FakeConversation | undefined;
  teams(): FakeTeam[];
  notifications(): FakeNotification[];
  /** Resolves once every webhook emitted so far was delivered to the listeners and the URL. */
  idle(): Promise<void>;
  /** Stops the server and drops every socket, including those a `timeout` fault holds open. */
  close(): Promise<void>;
}

const routes = [
  ...agentBotRoutes,
  ...contactRoutes,
  ...conversationRoutes,
  ...conversationActionRoutes,
  ...assignmentRoutes,
  ...messageRoutes,
  ...teamRoutes,
  ...inboxRoutes,
];

/**
 * Starts a faithful fake of the Chatwoot Application API and the API inbox webhooks, following the
 * reference notes (`api-notes.md`): the same paths, bodies, status codes, error bodies, quirks and
 * signed webhook deliveries. Seeded with Admin (1), Anna (7, online) and Omar (8, offline), teams
 * Support (1), Billing (2) and Orders (3), the API inbox and an unattached agent bot (5).
 */
export async function startFakeChatwoot(settings: FakeChatwootSettings = {}): Promise<FakeChatwoot> {
  const now = settings.now ?? (() => new Date());
  const state = createFakeState(settings, now());
  const requests: RecordedRequest[] = [];
  const faults = createFaultQueue();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const webhooks = createFakeWebhooks({
    state,
    now,
    sign: settings.signWebhooks ?? true,
    botRetryDelayMs: settings.botWebhookRetryDelayMs ?? 3_000,
    onInboxMessageFailed: (messageId, error) => markMessageFailed(context, messageId, error),
    onBotFailed: (conversationId, error) => {
      // A failed bot webhook hands a pending conversation to the agents (notes §3.2), unless the
      // account keeps it pending. The activity text is ours. *(inference)*
      const conversation = findConversation(state, conversationId);
      if (conversation?.status !== 'pending' || settings.keepPendingOnBotFailure === true) return;
      updateConversation(context, conversation, { status: 'open' }, systemActor);
      addActivityMessage(
        context,
        conversation,
        `Agent bot failed to respond (${error}); the conversation was opened`,
      );
    },
  });
  const context: FakeContext = { state, webhooks, now, baseUrl };
  server.on(
    'request',
    createRequestHandler({
      context,
      router: createAccountRouter(routes),
      faults,
      rateLimiter: createRateLimiter(settings.rateLimitPerMinute ?? false, now),
      record: (request) => requests.push(request),
    }),
  );

  return {
    baseUrl,
    accountId: state.account.id,
    inboxId: state.inbox.id,
    inboxSecret: state.inbox.secret,
    tokens: { ...seedTokens },
    agentBotId: seedAgentBotId,
    requests,
    subscribe: (listener) => webhooks.subscribe(listener),
    subscribeBot: (listener) => webhooks.subscribeBot(listener),
    agentBotSecret: state.agentBots[0]?.secret ?? '',
    setAgentBot(changes) {
      const bot = state.agentBots.find((candidate) => candidate.id === seedAgentBotId);
      if (bot === undefined) throw new Error('the fake has no agent bot');
      if (Object.hasOwn(changes, 'outgoingUrl')) bot.outgoingUrl = changes.outgoingUrl;
      if (changes.attached !== undefined) state.inbox.agentBotId = changes.attached ? bot.id : null;
    },
    setRandomFaults(settings) {
      faults.setRandom(settings);
    },
    faultsInjected: () => faults.injected(),
    injectFault(fault, times = 1) {
      faults.inject(fault, times);
    },
    setInbox(changes) {
      if (changes.lockToSingleConversation !== undefined) {
        state.inbox.lockToSingleConversation = changes.lockToSingleConversation;
      }
      if (changes.enableAutoAssignment !== undefined) {
        state.inbox.enableAutoAssignment = changes.enableAutoAssignment;
      }
      if (Object.hasOwn(changes, 'webhookUrl')) state.inbox.webhookUrl = changes.webhookUrl;
      if (changes.workingHoursEnabled !== undefined)
        state.inbox.workingHoursEnabled = changes.workingHoursEnabled;
      if (changes.timezone !== undefined) state.inbox.timezone = changes.timezone;
      for (const day of changes.workingHours ?? []) {
        state.inbox.workingHours = [
          ...state.inbox.workingHours.filter((existing) => existing.dayOfWeek !== day.dayOfWeek),
          { ...day },
        ].sort((left, right) => left.dayOfWeek - right.dayOfWeek);
      }
      state.inbox.updatedAt = now();
    },
    setAvailability(userId, availability) {
      const user = state.users.find((candidate) => candidate.id === userId);
      if (user === undefined) throw new Error(`the fake has no user ${userId}`);
      user.availability = availability;
    },
    contacts: () => structuredClone(state.contacts),
    conversation(displayId) {
      const conversation = findConversation(state, displayId);
      return conversation === undefined ? undefined : structuredClone(conversation);
    },
    teams: () => structuredClone(state.teams),
    notifications: () => structuredClone(state.notifications),
    idle: () => webhooks.idle(),
    async close() {
      webhooks.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
