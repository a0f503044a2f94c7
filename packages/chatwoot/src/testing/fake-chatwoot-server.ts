import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectFaultOptions, WebhookRequest } from '@handoff/core';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import { agentBotRoutes } from './fake-agent-bot-routes.js';
import { assignmentRoutes } from './fake-assignment-routes.js';
import { contactRoutes } from './fake-contact-routes.js';
import type { FakeContext } from './fake-context.js';
import { conversationActionRoutes } from './fake-conversation-action-routes.js';
import { conversationRoutes } from './fake-conversation-routes.js';
import { createFaultQueue, type FakeFault, type RandomFaults } from './fake-fault-injection.js';
import { inboxRoutes } from './fake-inbox-routes.js';
import { markMessageFailed, openAfterBotFailure } from './fake-message-creation.js';
import { messageRoutes } from './fake-message-routes.js';
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

/** A running fake Chatwoot account (4.15.1 unless told otherwise) with one API inbox, on 127.0.0.1. */
export interface FakeChatwoot {
  /** What the emulated release does. */
  behaviours: ChatwootBehaviours;
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
  /** Queues a fault for the next non-harness requests: a count, or `{ times, after }`. */
  injectFault(fault: FakeFault, options?: number | InjectFaultOptions): void;
  /** Drops the queued faults; returns how many were never met. */
  clearFaults(): number;
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
  /**
   * Sets the availability a user chose in their status menu and, by default, keeps their dashboard
   * open (present), so Chatwoot reports exactly that availability.
   */
  setAvailability(
    userId: number,
    availability: FakeUser['availability'],
    options?: { present?: boolean },
  ): void;
  /**
   * Whether the user has a dashboard open (`OnlineStatusTracker` presence); with `auto_offline` on
   * (the default) an absent agent reads `offline` whatever they chose.
   */
  setPresence(userId: number, present: boolean, options?: { autoOffline?: boolean }): void;
  /** Suspends the account (every call answers 401 "Account is suspended") or activates it again. */
  setAccountStatus(status: 'active' | 'suspended'): void;
  /** Copies of the state, for tests and the harness. */
  contacts(): FakeContact[];
  conversation(displayId: number): FakeConversation | undefined;
  conversations(): FakeConversation[];
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
 * Starts a faithful fake of the Chatwoot Application API and its webhooks, following Chatwoot's
 * own code at v4.15.1 (and the earlier releases `version` selects): the same paths, bodies, status
 * codes, error bodies, callbacks and webhook deliveries, each citing the file it follows (see
 * FIDELITY.md). Seeded with Admin (1), Anna (7, online) and Omar (8, offline), teams support (1),
 * billing (2) and orders (3), the API inbox and an unattached agent bot (5).
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
    behaviours: state.behaviours,
    now,
    sign: settings.signWebhooks ?? true,
    order: settings.webhookOrder ?? 'unordered',
    seed: settings.webhookSeed ?? 1,
    delayMs: settings.webhookDelayMs,
    allowPrivateNetwork: settings.allowPrivateNetwork ?? true,
    botRetryDelayMs: settings.botWebhookRetryDelayMs ?? 3_000,
    onInboxMessageFailed: (messageId, error) => markMessageFailed(context, messageId, error),
    onBotMessageFailed: (messageId) =>
      openAfterBotFailure(context, messageId, settings.keepPendingOnBotFailure === true),
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
    behaviours: state.behaviours,
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
    injectFault(fault, options = 1) {
      faults.inject(fault, options);
    },
    clearFaults() {
      return faults.clear();
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
    setAvailability(userId, availability, options = {}) {
      const user = state.users.find((candidate) => candidate.id === userId);
      if (user === undefined) throw new Error(`the fake has no user ${userId}`);
      user.availability = availability;
      user.present = options.present ?? true;
    },
    setPresence(userId, present, options = {}) {
      const user = state.users.find((candidate) => candidate.id === userId);
      if (user === undefined) throw new Error(`the fake has no user ${userId}`);
      user.present = present;
      if (options.autoOffline !== undefined) user.autoOffline = options.autoOffline;
    },
    setAccountStatus(status) {
      state.account.status = status;
    },
    contacts: () => structuredClone(state.contacts),
    conversation(displayId) {
      const conversation = findConversation(state, displayId);
      return conversation === undefined ? undefined : structuredClone(conversation);
    },
    conversations: () => structuredClone(state.conversations),
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
