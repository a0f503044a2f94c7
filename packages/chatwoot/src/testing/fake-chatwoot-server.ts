import type { WebhookRequest } from '@handoff/core';
import { type FakeFaultControls, type RecordedRequest, startFakeServer } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { AccountWebhookListener } from './fake-account-webhook-delivery.js';
import { agentBotRoutes } from './fake-agent-bot-routes.js';
import { assignmentRoutes } from './fake-assignment-routes.js';
import { serveAttachment } from './fake-attachment-routes.js';
import { type AuthOutcome, authenticate } from './fake-auth.js';
import { contactRoutes } from './fake-contact-routes.js';
import type { FakeContext } from './fake-context.js';
import { conversationActionRoutes } from './fake-conversation-action-routes.js';
import { conversationRoutes } from './fake-conversation-routes.js';
import { chatwootErrorResponses } from './fake-error-responses.js';
import { inboxRoutes } from './fake-inbox-routes.js';
import { markMessageFailed, openAfterBotFailure } from './fake-message-creation.js';
import { messageRoutes } from './fake-message-routes.js';
import { profileRoutes } from './fake-profile-routes.js';
import type {
  FakeAccountWebhook,
  FakeContact,
  FakeConversation,
  FakeNotification,
  FakeTeam,
  FakeUser,
  FakeWorkingHours,
} from './fake-records.js';
import { chatwootRouteRequest, underAccount } from './fake-route.js';
import { seedAgentBotId, seedTokens } from './fake-seed.js';
import type { FakeChatwootSettings } from './fake-settings.js';
import { createFakeState, findConversation } from './fake-state.js';
import { teamRoutes } from './fake-team-routes.js';
import { createAccountWebhook, webhookRoutes } from './fake-webhook-routes.js';
import { createFakeWebhooks } from './fake-webhook-routing.js';

export type { FakeChatwootSettings } from './fake-settings.js';

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-chatwoot-harness';

/** A running fake Chatwoot account (4.15.1 unless told otherwise) with one API inbox, on 127.0.0.1. */
export interface FakeChatwoot extends FakeFaultControls {
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
  /** Every request not made by the harness, in order, with its headers, body, timing and answer. */
  requests: Array<RecordedRequest<AuthOutcome>>;
  /**
   * Receives every delivery to the inbox's `webhook_url` (headers as a Node server would see them,
   * and the raw body), whether or not a URL is set.
   */
  subscribe(listener: (request: WebhookRequest) => void | Promise<void>): () => void;
  /**
   * Receives every delivery to an account webhook (`addAccountWebhook`, `POST /webhooks`), with the
   * webhook's id and the URL it was POSTed to; signed with that webhook's secret. Only the events
   * a webhook subscribes to reach it; with no account webhook, none are sent.
   */
  subscribeAccountWebhooks(listener: AccountWebhookListener): () => void;
  /** Receives every agent-bot webhook delivery (signed with the bot's secret). */
  subscribeBot(listener: (request: WebhookRequest) => void | Promise<void>): () => void;
  /** HMAC key of the agent bot's webhook signatures. */
  agentBotSecret: string;
  /**
   * Sets the agent bot's `outgoing_url` and attaches it to the inbox (or detaches it), as an
   * administrator would in the agent bot and inbox settings.
   */
  setAgentBot(changes: { outgoingUrl?: string | undefined; attached?: boolean }): void;
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
  /**
   * Adds an account webhook as an administrator would in Settings → Integrations → Webhooks
   * (validated like `POST /webhooks`; throws on a refused one). Returns a copy. From then on the
   * events it subscribes to are POSTed to its URL, signed with its `secret`.
   */
  addAccountWebhook(webhook: { url: string; subscriptions: string[]; name?: string }): FakeAccountWebhook;
  /** Copies of the state, for tests and the harness. */
  accountWebhooks(): FakeAccountWebhook[];
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
  ...profileRoutes,
  ...webhookRoutes,
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
    onInboxMessageFailed: (messageId, error) => markMessageFailed(server.context, messageId, error),
    onBotMessageFailed: (messageId) =>
      openAfterBotFailure(server.context, messageId, settings.keepPendingOnBotFailure === true),
  });
  const server = await startFakeServer({
    context: (baseUrl): FakeContext => ({ state, webhooks, now, baseUrl }),
    routes: underAccount(routes),
    harnessHeader,
    forms: true,
    authenticate: (headers, context) => authenticate(context.state, headers),
    // ActiveStorage URLs are outside the API and need no token.
    intercept: (request, context) => serveAttachment(context, request.method, request.url.pathname),
    routeRequest: chatwootRouteRequest,
    responses: chatwootErrorResponses,
    // rack-attack's global throttle (`config/initializers/rack_attack.rb`): a fixed one-minute
    // window per client IP, no rate limit headers. Real Chatwoot exempts 127.0.0.1 and ::1 (every
    // client of this fake), but the fake stands for a remote server, so it applies the limit anyway.
    rateLimit: { perMinute: settings.rateLimitPerMinute ?? false },
    now,
  });

  return {
    behaviours: state.behaviours,
    baseUrl: server.baseUrl,
    accountId: state.account.id,
    inboxId: state.inbox.id,
    inboxSecret: state.inbox.secret,
    tokens: { ...seedTokens },
    agentBotId: seedAgentBotId,
    requests: server.requests,
    ...server.faults,
    subscribe: (listener) => webhooks.subscribe(listener),
    subscribeAccountWebhooks: (listener) => webhooks.subscribeAccountWebhooks(listener),
    subscribeBot: (listener) => webhooks.subscribeBot(listener),
    agentBotSecret: state.agentBots[0]?.secret ?? '',
    setAgentBot(changes) {
      const bot = state.agentBots.find((candidate) => candidate.id === seedAgentBotId);
      if (bot === undefined) throw new Error('the fake has no agent bot');
      if (Object.hasOwn(changes, 'outgoingUrl')) bot.outgoingUrl = changes.outgoingUrl;
      if (changes.attached !== undefined) state.inbox.agentBotId = changes.attached ? bot.id : null;
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
    addAccountWebhook: (webhook) => structuredClone(createAccountWebhook(state, webhook)),
    accountWebhooks: () => structuredClone(state.webhooks),
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
      await server.close();
    },
  };
}
