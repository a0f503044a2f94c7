import { canary, sunshineId } from './fake-ids.js';
import type {
  FakeAgent,
  FakeConversation,
  FakeGroup,
  FakeSwitchboardIntegration,
  FakeTicket,
  FakeUser,
} from './fake-records.js';

/** Everything the fake keeps: the app, its switchboard, users, conversations, and the Zendesk side. */
export interface FakeState {
  appId: string;
  keyId: string;
  keySecret: string;
  webhookId: string;
  webhookSecret: string;
  /** Our custom integration (its webhook is where the fake delivers). */
  integrationId: string;
  switchboardId: string;
  /** Ours first, then the Agent Workspace. */
  switchboardIntegrations: FakeSwitchboardIntegration[];
  /** Where a message in a conversation nobody holds goes (the Agent Workspace, as Zendesk sets it up). */
  defaultSwitchboardIntegrationId: string;
  users: FakeUser[];
  conversations: FakeConversation[];
  zendeskEmail: string;
  zendeskApiToken: string;
  groups: FakeGroup[];
  tickets: FakeTicket[];
  agent: FakeAgent;
  nextTicketId: number;
  webhookUrl: string | undefined;
}

/** The name and type Zendesk gives the Agent Workspace's switchboard integration. */
export const agentWorkspace = { name: 'zd-agentWorkspace', integrationType: 'zd:agentWorkspace' } as const;

export interface FakeStateSettings {
  /** Whether our switchboard integration gets events while on standby. Default true. */
  deliverStandbyEvents?: boolean;
  /**
   * Who takes a conversation nobody holds: the Agent Workspace (Zendesk's default, external mode)
   * or our bot (internal mode: the bot answers first). Default `agentWorkspace`.
   */
  defaultIntegration?: 'agentWorkspace' | 'bot';
}

export function createFakeState(settings: FakeStateSettings = {}): FakeState {
  const integrationId = sunshineId();
  const ours: FakeSwitchboardIntegration = {
    id: sunshineId(),
    name: 'handoff-bot',
    integrationId,
    integrationType: 'custom',
    deliverStandbyEvents: settings.deliverStandbyEvents ?? true,
    nextSwitchboardIntegrationId: undefined,
    messageHistoryCount: 10,
  };
  const workspace: FakeSwitchboardIntegration = {
    id: sunshineId(),
    name: agentWorkspace.name,
    integrationId: sunshineId(),
    integrationType: agentWorkspace.integrationType,
    deliverStandbyEvents: false,
    nextSwitchboardIntegrationId: undefined,
    messageHistoryCount: 10,
  };
  ours.nextSwitchboardIntegrationId = workspace.id;
  return {
    appId: sunshineId(),
    keyId: `app_${sunshineId()}`,
    keySecret: canary('sunshine-key-secret'),
    webhookId: sunshineId(),
    webhookSecret: canary('sunshine-webhook-secret'),
    integrationId,
    switchboardId: sunshineId(),
    switchboardIntegrations: [ours, workspace],
    defaultSwitchboardIntegrationId: settings.defaultIntegration === 'bot' ? ours.id : workspace.id,
    users: [],
    conversations: [],
    zendeskEmail: 'handoff-bot@example.zendesk.com',
    zendeskApiToken: canary('zendesk-api-token'),
    groups: [
      { id: 360001000001, name: 'Support', deleted: false },
      { id: 360001000002, name: 'Billing', deleted: false },
      { id: 360001000003, name: 'Retired team', deleted: true },
    ],
    tickets: [],
    agent: { id: 361000000042, name: 'Anna' },
    nextTicketId: 101,
    webhookUrl: undefined,
  };
}

export const ourIntegration = (state: FakeState) =>
  state.switchboardIntegrations[0] as FakeSwitchboardIntegration;
export const agentWorkspaceIntegration = (state: FakeState) =>
  state.switchboardIntegrations.find(
    (integration) => integration.integrationType === agentWorkspace.integrationType,
  ) as FakeSwitchboardIntegration;

export const findUser = (state: FakeState, idOrExternalId: string) =>
  state.users.find((user) => user.id === idOrExternalId) ??
  state.users.find((user) => user.externalId === idOrExternalId);

export const findConversation = (state: FakeState, id: string) =>
  state.conversations.find((conversation) => conversation.id === id);

export const findTicket = (state: FakeState, id: number | undefined) =>
  id === undefined ? undefined : state.tickets.find((ticket) => ticket.id === id);

export const findSwitchboardIntegration = (state: FakeState, id: string | undefined) =>
  id === undefined ? undefined : state.switchboardIntegrations.find((integration) => integration.id === id);
