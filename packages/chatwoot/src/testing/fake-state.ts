import { type ChatwootBehaviours, chatwootBehaviours } from '../chatwoot-versions.js';
import type { FakeAccountRecord } from './fake-platform-records.js';
import type {
  FakeAccountWebhook,
  FakeAgentBot,
  FakeContact,
  FakeContactInbox,
  FakeConversation,
  FakeInbox,
  FakeNotification,
  FakeTeam,
  FakeUser,
} from './fake-records.js';
import {
  seedAccountName,
  seedAgentBot,
  seedAgentBotId,
  seedInbox,
  seedTeams,
  seedUsers,
} from './fake-seed.js';
import type { FakeChatwootSettings } from './fake-settings.js';

type IdKind = 'contact' | 'contactInbox' | 'conversation' | 'message' | 'attachment' | 'webhook';

/** Everything one fake Chatwoot account holds. */
export interface FakeState {
  /** What the emulated release does (`chatwoot-versions.ts`). */
  behaviours: ChatwootBehaviours;
  account: FakeAccountRecord;
  users: FakeUser[];
  agentBots: FakeAgentBot[];
  teams: FakeTeam[];
  inbox: FakeInbox;
  contacts: FakeContact[];
  conversations: FakeConversation[];
  notifications: FakeNotification[];
  /** The account webhooks (`Api::V1::Accounts::WebhooksController`), in order of creation. */
  webhooks: FakeAccountWebhook[];
  /** The inbox round-robin queue of user ids (auto-assignment takes the first eligible one). */
  roundRobin: number[];
  nextIds: Record<IdKind, number>;
}

export function createFakeState(settings: FakeChatwootSettings, now: Date): FakeState {
  const accountId = settings.accountId ?? 1;
  const inbox = seedInbox({
    accountId,
    inboxId: settings.inboxId ?? 3,
    secret: settings.inboxSecret ?? 'inbox-webhook-secret',
    webhookUrl: settings.webhookUrl,
    enableAutoAssignment: settings.enableAutoAssignment ?? true,
    lockToSingleConversation: settings.lockToSingleConversation ?? false,
    now,
  });
  if (settings.agentBot !== undefined && settings.agentBot.attached !== false)
    inbox.agentBotId = seedAgentBotId;
  return {
    behaviours: chatwootBehaviours(settings.version),
    account: newAccountRecord(accountId, { name: seedAccountName }),
    users: seedUsers(),
    agentBots: [{ ...seedAgentBot(accountId), outgoingUrl: settings.agentBot?.outgoingUrl }],
    teams: seedTeams(accountId, now),
    inbox,
    contacts: [],
    conversations: [],
    notifications: [],
    webhooks: [],
    roundRobin: [...inbox.memberIds],
    nextIds: { contact: 1, contactInbox: 1, conversation: 1, message: 1, attachment: 1, webhook: 1 },
  };
}

/**
 * The features a new account gets (`enable_default_features`: the `ACCOUNT_LEVEL_FEATURE_DEFAULTS`
 * installation config, seeded from the `enabled: true` entries of `config/features.yml`).
 */
const defaultAccountFeatures: readonly string[] = [
  'inbound_emails',
  'channel_email',
  'channel_facebook',
  'help_center',
  'agent_bots',
  'macros',
  'agent_management',
  'team_management',
  'inbox_management',
  'labels',
  'custom_attributes',
  'automations',
  'canned_responses',
  'integrations',
  'voice_recorder',
  'channel_website',
  'campaigns',
  'reports',
  'crm',
  'auto_resolve_conversations',
  'chatwoot_v4',
  'contact_chatwoot_support_team',
  'channel_instagram',
  'assignment_v2',
  'channel_tiktok',
  'captain_tasks',
];

/** An account row with the schema's defaults (`db/schema.rb`: locale en, limits and custom attributes `{}`). */
export function newAccountRecord(
  id: number,
  fields: Partial<FakeAccountRecord> & { name: string },
): FakeAccountRecord {
  return {
    id,
    status: 'active',
    locale: 'en',
    domain: null,
    supportEmail: null,
    customAttributes: {},
    limits: {},
    features: [...defaultAccountFeatures],
    ...fields,
  };
}

/** Ids Chatwoot numbers per account (`display_id`); every other id is the installation's. */
const perAccountIds: readonly IdKind[] = ['conversation'];

/**
 * The state of an account a platform app created: no users, teams or inbox yet. Its inbox is a
 * placeholder no request can name (id NaN) until `POST /inboxes` creates the API inbox. Agent
 * bots and ids other than conversation display ids are the installation's, shared with `shared`.
 */
export function createAccountState(account: FakeAccountRecord, shared: FakeState, now: Date): FakeState {
  const inbox = seedInbox({
    accountId: account.id,
    inboxId: Number.NaN,
    secret: '',
    webhookUrl: undefined,
    enableAutoAssignment: true,
    lockToSingleConversation: false,
    now,
  });
  inbox.memberIds = [];
  inbox.name = '';
  const nextIds = { conversation: 1 } as Record<IdKind, number>;
  for (const kind of Object.keys(shared.nextIds) as IdKind[]) {
    if (perAccountIds.includes(kind)) continue;
    Object.defineProperty(nextIds, kind, {
      enumerable: true,
      get: () => shared.nextIds[kind],
      set: (value: number) => {
        shared.nextIds[kind] = value;
      },
    });
  }
  return {
    behaviours: shared.behaviours,
    account,
    users: [],
    agentBots: shared.agentBots,
    teams: [],
    inbox,
    contacts: [],
    conversations: [],
    notifications: [],
    webhooks: [],
    roundRobin: [],
    nextIds,
  };
}

/** Whether the account has its API inbox (a provisioned account has none until `POST /inboxes`). */
export const hasInbox = (state: FakeState): boolean => Number.isFinite(state.inbox.id);

export function takeId(state: FakeState, kind: IdKind): number {
  const id = state.nextIds[kind];
  state.nextIds[kind] = id + 1;
  return id;
}

export const findUser = (state: FakeState, id: number | null | undefined): FakeUser | undefined =>
  state.users.find((user) => user.id === id);

/** A bot the account may use (`AgentBot.accessible_to(account)`: its own, or one of no account). */
export const findAgentBot = (state: FakeState, id: number | null | undefined): FakeAgentBot | undefined =>
  state.agentBots.find(
    (bot) => bot.id === id && (bot.accountId === null || bot.accountId === state.account.id),
  );

export const findTeam = (state: FakeState, id: number | null | undefined): FakeTeam | undefined =>
  state.teams.find((team) => team.id === id);

export const findContact = (state: FakeState, id: number | null | undefined): FakeContact | undefined =>
  state.contacts.find((contact) => contact.id === id);

export const findConversation = (
  state: FakeState,
  displayId: number | null | undefined,
): FakeConversation | undefined =>
  state.conversations.find((conversation) => conversation.displayId === displayId);

export function contactOf(state: FakeState, conversation: FakeConversation): FakeContact {
  const contact = findContact(state, conversation.contactId);
  if (contact === undefined) throw new Error(`conversation ${conversation.displayId} has no contact`);
  return contact;
}

export function contactInboxOf(state: FakeState, conversation: FakeConversation): FakeContactInbox {
  const contactInbox = contactOf(state, conversation).contactInboxes.find(
    (candidate) => candidate.id === conversation.contactInboxId,
  );
  if (contactInbox === undefined)
    throw new Error(`conversation ${conversation.displayId} has no contact inbox`);
  return contactInbox;
}

/** The inbox has an active agent bot (`Inbox#active_bot?`): conversations start and reopen pending. */
export const inboxHasActiveBot = (state: FakeState): boolean =>
  findAgentBot(state, state.inbox.agentBotId) !== undefined;

/**
 * The agent bots a conversation's events go to (`AgentBotListener`): the inbox's bot and the bot
 * the conversation is assigned to (a bot without `outgoing_url` only reaches the fake's listeners).
 */
export function agentBotsFor(state: FakeState, conversation: FakeConversation): FakeAgentBot[] {
  const bots = [
    findAgentBot(state, state.inbox.agentBotId),
    findAgentBot(state, conversation.assigneeAgentBotId),
  ];
  return [...new Set(bots)].filter((bot): bot is FakeAgentBot => bot !== undefined);
}

/** What Chatwoot reports and assigns by (`AvailabilityStatusable#user_availability_status`). */
export function availabilityStatus(user: FakeUser): FakeUser['availability'] {
  if (!user.autoOffline) return user.availability;
  return user.present ? user.availability : 'offline';
}

export const isInboxMember = (state: FakeState, userId: number | null | undefined): boolean =>
  userId !== null && userId !== undefined && state.inbox.memberIds.includes(userId);
