import type { FakeAgentBot, FakeInbox, FakeTeam, FakeUser, FakeWorkingHours } from './fake-records.js';

export const seedTokens = {
  admin: 'admin-token',
  agent: 'anna-token',
  offlineAgent: 'omar-token',
  bot: 'bot-token',
} as const;

export const seedAccountName = 'Acme';

/** Two platform apps (created in Super Admin → Platform Apps): none has created anything yet. */
export const seedPlatformApps = [
  { id: 1, name: 'Handoff platform', accessToken: 'platform-token' },
  { id: 2, name: 'Another platform', accessToken: 'other-platform-token' },
] as const;

export const seedUserIds = { admin: 1, anna: 7, omar: 8 } as const;

export const seedAgentBotId = 5;

export function seedUsers(): FakeUser[] {
  return [
    {
      id: seedUserIds.admin,
      name: 'Admin',
      email: 'admin@acme.test',
      role: 'administrator',
      accessToken: seedTokens.admin,
      availability: 'online',
      autoOffline: true,
      present: true,
    },
    {
      id: seedUserIds.anna,
      name: 'Anna',
      email: 'anna@acme.test',
      role: 'agent',
      accessToken: seedTokens.agent,
      availability: 'online',
      autoOffline: true,
      present: true,
    },
    {
      id: seedUserIds.omar,
      name: 'Omar',
      email: 'omar@acme.test',
      role: 'agent',
      accessToken: seedTokens.offlineAgent,
      availability: 'offline',
      autoOffline: true,
      present: false,
    },
  ];
}

export function seedTeams(accountId: number, now: Date): FakeTeam[] {
  const team = (id: number, name: string, description: string, memberIds: number[]): FakeTeam => ({
    id,
    accountId,
    name,
    description,
    allowAutoAssign: true,
    memberIds,
    createdAt: now,
    updatedAt: now,
  });
  // Chatwoot stores team names lowercased (`app/models/team.rb` `before_validation`).
  return [
    team(1, 'support', 'General questions', [seedUserIds.admin, seedUserIds.anna]),
    team(2, 'billing', 'Invoices, refunds and payments', [seedUserIds.anna]),
    team(3, 'orders', 'Deliveries and returns', [seedUserIds.omar]),
  ];
}

/** An account bot that is NOT attached to the inbox (external mode posts bot turns with its token; it is no inbox's bot). */
export function seedAgentBot(accountId: number): FakeAgentBot {
  return {
    id: 5,
    accountId,
    name: 'Handoff bot',
    description: 'Posts the bot side of handed-off chats',
    accessToken: seedTokens.bot,
    outgoingUrl: undefined,
    secret: 'agent-bot-webhook-secret',
  };
}

/** The working hours Chatwoot creates with every inbox: weekdays 09:00-17:00, weekends closed. */
function defaultWorkingHours(): FakeWorkingHours[] {
  return [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => {
    const weekend = dayOfWeek === 0 || dayOfWeek === 6;
    return {
      dayOfWeek,
      closedAllDay: weekend,
      openAllDay: false,
      openHour: weekend ? null : 9,
      openMinutes: weekend ? null : 0,
      closeHour: weekend ? null : 17,
      closeMinutes: weekend ? null : 0,
    };
  });
}

export function seedInbox(settings: {
  accountId: number;
  inboxId: number;
  secret: string;
  webhookUrl: string | undefined;
  enableAutoAssignment: boolean;
  lockToSingleConversation: boolean;
  now: Date;
}): FakeInbox {
  return {
    id: settings.inboxId,
    channelId: 2,
    accountId: settings.accountId,
    name: 'Bot handoff',
    secret: settings.secret,
    hmacToken: 'inbox-hmac-token',
    identifier: 'inbox-identifier-api',
    webhookUrl: settings.webhookUrl,
    enableAutoAssignment: settings.enableAutoAssignment,
    lockToSingleConversation: settings.lockToSingleConversation,
    workingHoursEnabled: false,
    timezone: 'UTC',
    workingHours: defaultWorkingHours(),
    agentBotId: null,
    memberIds: [seedUserIds.admin, seedUserIds.anna, seedUserIds.omar],
    createdAt: settings.now,
    updatedAt: settings.now,
  };
}
