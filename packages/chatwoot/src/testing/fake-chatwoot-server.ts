import type { WebhookRequest } from '@handoff/core';
import { type FakeFaultControls, type RecordedRequest, startFakeServer } from '@handoff/fake-server';
import type { ChatwootBehaviours } from '../chatwoot-versions.js';
import type { AccountWebhookListener } from './fake-account-webhook-delivery.js';
import { agentBotRoutes } from './fake-agent-bot-routes.js';
import { agentRoutes } from './fake-agent-routes.js';
import { assignmentRoutes } from './fake-assignment-routes.js';
import { serveAttachment } from './fake-attachment-routes.js';
import { type AuthOutcome, authenticate } from './fake-auth.js';
import { contactRoutes } from './fake-contact-routes.js';
import type { FakeContext } from './fake-context.js';
import { conversationActionRoutes } from './fake-conversation-action-routes.js';
import { conversationRoutes } from './fake-conversation-routes.js';
import { chatwootErrorResponses } from './fake-error-responses.js';
import { inboxRoutes } from './fake-inbox-routes.js';
import { type FakeAccountEntry, type FakeInstallation, setMembership } from './fake-installation.js';
import { markMessageFailed, openAfterBotFailure } from './fake-message-creation.js';
import { messageRoutes } from './fake-message-routes.js';
import { platformAccountRoutes } from './fake-platform-account-routes.js';
import { platformAgentBotRoutes } from './fake-platform-agent-bot-routes.js';
import type {
  FakeAccountRecord,
  FakeEmail,
  FakePermissible,
  FakeUserRecord,
} from './fake-platform-records.js';
import { platformUserRoutes } from './fake-platform-user-routes.js';
import { profileRoutes } from './fake-profile-routes.js';
import type {
  FakeAccountWebhook,
  FakeAgentBot,
  FakeContact,
  FakeConversation,
  FakeInbox,
  FakeNotification,
  FakeTeam,
  FakeUser,
  FakeWorkingHours,
} from './fake-records.js';
import { type ChatwootRoute, chatwootRouteRequest, underAccount, underPlatform } from './fake-route.js';
import { seedAgentBotId, seedPlatformApps, seedTokens } from './fake-seed.js';
import type { FakeChatwootSettings } from './fake-settings.js';
import { createFakeState, type FakeState, findConversation, hasInbox } from './fake-state.js';
import { teamMemberRoutes } from './fake-team-member-routes.js';
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
  /**
   * Access tokens: the seeded users' and bot's, and two platform apps' (`platform`, `otherPlatform`),
   * which open the Platform API (`/platform/api/v1`) for the records each created, and nothing else.
   */
  tokens: {
    admin: string;
    agent: string;
    offlineAgent: string;
    bot: string;
    platform: string;
    otherPlatform: string;
  };
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
   * open (present), so Chatwoot reports exactly that availability. Chatwoot keeps both per account
   * (`account_users.availability`, `OnlineStatusTracker` per account): `accountId` names one of the
   * user's accounts; without it every account the user belongs to (seeded or created through the
   * Platform API) is set. Throws when the user belongs to none of them.
   */
  setAvailability(
    userId: number,
    availability: FakeUser['availability'],
    options?: { present?: boolean; accountId?: number },
  ): void;
  /**
   * Whether the user has a dashboard open (`OnlineStatusTracker` presence); with `auto_offline` on
   * (the default) an absent agent reads `offline` whatever they chose. `accountId` as in
   * `setAvailability`.
   */
  setPresence(
    userId: number,
    present: boolean,
    options?: { autoOffline?: boolean; accountId?: number },
  ): void;
  /** Suspends the account (every call answers 401 "Account is suspended") or activates it again. */
  setAccountStatus(status: 'active' | 'suspended'): void;
  /**
   * Adds an account webhook as an administrator would in Settings → Integrations → Webhooks
   * (validated like `POST /webhooks`; throws on a refused one). Returns a copy. From then on the
   * events it subscribes to are POSTed to its URL, signed with its `secret`.
   */
  addAccountWebhook(webhook: { url: string; subscriptions: string[]; name?: string }): FakeAccountWebhook;
  /** The ids of every account: the seeded one, then those platform apps created. */
  accountIds(): number[];
  /** A copy of one account's records (any account; the methods below are about the seeded one). */
  account(accountId: number): FakeAccountSnapshot | undefined;
  /** Copies of every user of the installation (seeded and created through the Platform API). */
  users(): FakeUserRecord[];
  /** Copies of every agent bot (the seeded one, the accounts' and the platform apps'). */
  agentBots(): FakeAgentBot[];
  /** Which platform app may touch which record (`platform_app_permissibles`). */
  permissibles(): FakePermissible[];
  /**
   * The emails Chatwoot would have sent, in order: `confirmation_instructions` when a user is
   * created unconfirmed (`POST /accounts/{id}/agents`). The Platform API sends none: it confirms
   * the users it creates (`skip_confirmation!`).
   */
  emails(): FakeEmail[];
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

/** One account's records, as `account(accountId)` copies them. */
export interface FakeAccountSnapshot {
  account: FakeAccountRecord;
  /** The API inbox, once `POST /inboxes` created it (the seeded account has it from the start). */
  inbox: FakeInbox | undefined;
  /** The account's members, with their role there. */
  members: FakeUser[];
  webhooks: FakeAccountWebhook[];
  teams: FakeTeam[];
  contacts: FakeContact[];
  conversations: FakeConversation[];
}

const routes = [
  ...agentRoutes,
  ...agentBotRoutes,
  ...contactRoutes,
  ...conversationRoutes,
  ...conversationActionRoutes,
  ...assignmentRoutes,
  ...messageRoutes,
  ...teamRoutes,
  ...teamMemberRoutes,
  ...inboxRoutes,
  ...profileRoutes,
  ...webhookRoutes,
];

const platformRoutes = [...platformAccountRoutes, ...platformUserRoutes, ...platformAgentBotRoutes];

/**
 * The installation around the seeded account: its users (confirmed), their memberships, the
 * seeded agent bot (the list every account shares) and the two platform apps.
 */
function createInstallation(
  state: FakeState,
  now: Date,
  openAccount: (state: FakeState) => FakeAccountEntry,
): FakeInstallation {
  const members = state.users;
  state.users = [];
  const installation: FakeInstallation = {
    accounts: new Map(),
    users: members.map((member) => ({
      id: member.id,
      name: member.name,
      displayName: null,
      email: member.email,
      accessToken: member.accessToken,
      pubsubToken: `pubsub-${member.id}`,
      password: undefined,
      confirmedAt: now,
      customAttributes: {},
      createdAt: now,
    })),
    accountUsers: [],
    agentBots: state.agentBots,
    platformApps: seedPlatformApps.map((app) => ({ ...app })),
    permissibles: [],
    emails: [],
    nextIds: {
      account: state.account.id + 1,
      user: Math.max(...members.map((member) => member.id)) + 1,
      accountUser: 1,
      inbox: state.inbox.id + 1,
      channel: state.inbox.channelId + 1,
      // `teams.id` is the installation's: a team created in any account comes after the seeded ones.
      team: Math.max(0, ...state.teams.map((team) => team.id)) + 1,
    },
    openAccount,
  };
  const entry = openAccount(state);
  installation.accounts.set(state.account.id, entry);
  for (const member of members) {
    const user = installation.users.find((candidate) => candidate.id === member.id);
    if (user === undefined) continue;
    setMembership(installation, entry, user, member.role, { now });
    Object.assign(state.users.find((candidate) => candidate.id === member.id) ?? {}, member);
  }
  return installation;
}

/**
 * The user as a member of each of their accounts (their `account_users` row), or of the one
 * named; throws when there is none.
 */
function membershipsOf(installation: FakeInstallation, userId: number, accountId: number | undefined) {
  const members = [...installation.accounts.values()]
    .filter((entry) => accountId === undefined || entry.state.account.id === accountId)
    .map((entry) => entry.state.users.find((candidate) => candidate.id === userId))
    .filter((member): member is FakeUser => member !== undefined);
  if (members.length === 0)
    throw new Error(
      accountId === undefined
        ? `the fake has no user ${userId}`
        : `user ${userId} is not a member of account ${accountId}`,
    );
  return members;
}

type WebhookListener = (request: WebhookRequest) => void | Promise<void>;

/** The fake's listeners, on every account's webhooks (accounts created later included). */
function createListenerHub() {
  const all = {
    inbox: new Set<WebhookListener>(),
    account: new Set<AccountWebhookListener>(),
    bot: new Set<WebhookListener>(),
  };
  const attached: Array<ReturnType<typeof createFakeWebhooks>> = [];
  const unsubscribes = new Map<unknown, Array<() => void>>();
  const subscribeOn = (
    webhooks: ReturnType<typeof createFakeWebhooks>,
    kind: keyof typeof all,
    listener: never,
  ) => {
    const off =
      kind === 'inbox'
        ? webhooks.subscribe(listener)
        : kind === 'account'
          ? webhooks.subscribeAccountWebhooks(listener)
          : webhooks.subscribeBot(listener);
    unsubscribes.set(listener, [...(unsubscribes.get(listener) ?? []), off]);
  };
  return {
    attach(webhooks: ReturnType<typeof createFakeWebhooks>) {
      attached.push(webhooks);
      for (const kind of ['inbox', 'account', 'bot'] as const)
        for (const listener of all[kind]) subscribeOn(webhooks, kind, listener as never);
    },
    add<Kind extends keyof typeof all>(
      kind: Kind,
      listener: (typeof all)[Kind] extends Set<infer L> ? L : never,
    ): () => void {
      (all[kind] as Set<unknown>).add(listener);
      for (const webhooks of attached) subscribeOn(webhooks, kind, listener as never);
      return () => {
        (all[kind] as Set<unknown>).delete(listener);
        for (const off of unsubscribes.get(listener) ?? []) off();
        unsubscribes.delete(listener);
      };
    },
  };
}

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
  const listeners = createListenerHub();
  let baseUrl = '';
  const contextOf = (entry: FakeAccountEntry): FakeContext => ({
    state: entry.state,
    webhooks: entry.webhooks,
    now,
    baseUrl,
    installation,
  });
  const openAccount = (accountState: FakeState): FakeAccountEntry => {
    const entry: FakeAccountEntry = {
      state: accountState,
      webhooks: createFakeWebhooks({
        state: accountState,
        behaviours: accountState.behaviours,
        now,
        sign: settings.signWebhooks ?? true,
        order: settings.webhookOrder ?? 'unordered',
        seed: settings.webhookSeed ?? 1,
        delayMs: settings.webhookDelayMs,
        allowPrivateNetwork: settings.allowPrivateNetwork ?? true,
        botRetryDelayMs: settings.botWebhookRetryDelayMs ?? 3_000,
        onInboxMessageFailed: (messageId, error) => markMessageFailed(contextOf(entry), messageId, error),
        onBotMessageFailed: (messageId) =>
          openAfterBotFailure(contextOf(entry), messageId, settings.keepPendingOnBotFailure === true),
      }),
    };
    listeners.attach(entry.webhooks);
    return entry;
  };
  const installation = createInstallation(state, now(), openAccount);
  const seeded = installation.accounts.get(state.account.id);
  if (seeded === undefined) throw new Error('the fake has no seeded account');
  const server = await startFakeServer({
    context: (url): FakeContext => {
      baseUrl = url;
      return contextOf(seeded);
    },
    routes: [...underAccount(routes), ...underPlatform(platformRoutes)] as ChatwootRoute[],
    harnessHeader,
    forms: true,
    authenticate: (headers, context) => authenticate(context.installation, headers),
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
    tokens: {
      ...seedTokens,
      platform: seedPlatformApps[0].accessToken,
      otherPlatform: seedPlatformApps[1].accessToken,
    },
    agentBotId: seedAgentBotId,
    requests: server.requests,
    ...server.faults,
    subscribe: (listener) => listeners.add('inbox', listener),
    subscribeAccountWebhooks: (listener) => listeners.add('account', listener),
    subscribeBot: (listener) => listeners.add('bot', listener),
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
      for (const member of membershipsOf(installation, userId, options.accountId)) {
        member.availability = availability;
        member.present = options.present ?? true;
      }
    },
    setPresence(userId, present, options = {}) {
      for (const member of membershipsOf(installation, userId, options.accountId)) {
        member.present = present;
        if (options.autoOffline !== undefined) member.autoOffline = options.autoOffline;
      }
    },
    setAccountStatus(status) {
      state.account.status = status;
    },
    accountIds: () => [...installation.accounts.keys()],
    account(accountId) {
      const entry = installation.accounts.get(accountId);
      if (entry === undefined) return undefined;
      const { state: account } = entry;
      return structuredClone({
        account: account.account,
        inbox: hasInbox(account) ? account.inbox : undefined,
        members: account.users,
        webhooks: account.webhooks,
        teams: account.teams,
        contacts: account.contacts,
        conversations: account.conversations,
      });
    },
    users: () => structuredClone(installation.users),
    agentBots: () => structuredClone(installation.agentBots),
    permissibles: () => structuredClone(installation.permissibles),
    emails: () => structuredClone(installation.emails),
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
    async idle() {
      for (const entry of [...installation.accounts.values()]) await entry.webhooks.idle();
    },
    async close() {
      for (const entry of installation.accounts.values()) entry.webhooks.stop();
      await server.close();
    },
  };
}
