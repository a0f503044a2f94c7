import { type ChatwootBehaviours, chatwootBehaviours } from '../chatwoot-versions.js';
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
import { seedAccountName, seedAgentBot, seedInbox, seedTeams, seedUsers } from './fake-seed.js';
import type { FakeChatwootSettings } from './fake-settings.js';

type IdKind = 'contact' | 'contactInbox' | 'conversation' | 'message' | 'attachment' | 'webhook';

/** Everything one fake Chatwoot account holds. */
export interface FakeState {
  /** What the emulated release does (`chatwoot-versions.ts`). */
  behaviours: ChatwootBehaviours;
  account: { id: number; name: string; status: 'active' | 'suspended' };
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
    inbox.agentBotId = seedAgentBot().id;
  return {
    behaviours: chatwootBehaviours(settings.version),
    account: { id: accountId, name: seedAccountName, status: 'active' },
    users: seedUsers(),
    agentBots: [{ ...seedAgentBot(), outgoingUrl: settings.agentBot?.outgoingUrl }],
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

export function takeId(state: FakeState, kind: IdKind): number {
  const id = state.nextIds[kind];
  state.nextIds[kind] = id + 1;
  return id;
}

export const findUser = (state: FakeState, id: number | null | undefined): FakeUser | undefined =>
  state.users.find((user) => user.id === id);

export const findAgentBot = (state: FakeState, id: number | null | undefined): FakeAgentBot | undefined =>
  state.agentBots.find((bot) => bot.id === id);

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
