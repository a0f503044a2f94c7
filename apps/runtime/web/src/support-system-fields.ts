// The support systems a chatbot can use, and the fields of each one's configuration form.

export type SupportSystem = 'in-process' | 'chatwoot' | 'intercom' | 'sunshine' | 'rocketchat';

/** One field of a system's settings, as the form shows it. */
export interface SupportField {
  label: string;
  /** The settings key (`baseUrl`, `userToken`, ...). */
  name: string;
  type: 'text' | 'url' | 'number' | 'checkbox';
  /** Write-only: a password field, never filled from the API (it answers `{ set: true }`). */
  secret?: boolean;
  required?: boolean;
}

export interface SupportSystemDescription {
  system: SupportSystem;
  label: string;
  /** What the form says when there is nothing to fill in. */
  note?: string;
  fields: readonly SupportField[];
}

export const supportSystems: readonly SupportSystemDescription[] = [
  {
    system: 'in-process',
    label: 'In-process',
    note: 'Nothing to fill in: the runtime hosts this system; agents answer in the agent console.',
    fields: [],
  },
  {
    system: 'chatwoot',
    label: 'Chatwoot',
    fields: [
      { label: 'Base URL', name: 'baseUrl', type: 'url', required: true },
      { label: 'Account id', name: 'accountId', type: 'number', required: true },
      { label: 'Inbox id', name: 'inboxId', type: 'number', required: true },
      { label: 'User access token', name: 'userToken', type: 'text', secret: true, required: true },
      { label: 'Webhook secret', name: 'webhookSecret', type: 'text', secret: true },
      { label: 'Agent bot id', name: 'agentBotId', type: 'number' },
      { label: 'Agent bot token', name: 'agentBotToken', type: 'text', secret: true },
      { label: 'Accept unsigned webhooks', name: 'allowUnsignedWebhooks', type: 'checkbox' },
    ],
  },
  {
    system: 'intercom',
    label: 'Intercom',
    fields: [
      { label: 'API base URL', name: 'baseUrl', type: 'url' },
      { label: 'Access token', name: 'accessToken', type: 'text', secret: true, required: true },
      { label: 'Bot admin id', name: 'botAdminId', type: 'text', required: true },
      { label: 'Client secret', name: 'clientSecret', type: 'text', secret: true },
      { label: 'Accept unsigned webhooks', name: 'allowUnsignedWebhooks', type: 'checkbox' },
    ],
  },
  {
    system: 'sunshine',
    label: 'Zendesk messaging (Sunshine Conversations)',
    fields: [
      { label: 'API base URL', name: 'baseUrl', type: 'url' },
      { label: 'App id', name: 'appId', type: 'text', required: true },
      { label: 'API key id', name: 'keyId', type: 'text', required: true },
      { label: 'API key secret', name: 'keySecret', type: 'text', secret: true, required: true },
      { label: 'Custom integration id', name: 'integrationId', type: 'text', required: true },
      { label: 'Webhook secret', name: 'webhookSecret', type: 'text', secret: true, required: true },
      { label: 'Zendesk URL', name: 'zendeskUrl', type: 'url', required: true },
      { label: 'Zendesk agent email', name: 'zendeskEmail', type: 'text', required: true },
      { label: 'Zendesk API token', name: 'zendeskApiToken', type: 'text', secret: true, required: true },
    ],
  },
  {
    system: 'rocketchat',
    label: 'Rocket.Chat Omnichannel',
    fields: [
      { label: 'Server URL', name: 'baseUrl', type: 'url', required: true },
      { label: 'User id', name: 'userId', type: 'text', required: true },
      { label: 'Personal access token', name: 'authToken', type: 'text', secret: true, required: true },
      { label: 'Livechat webhook secret token', name: 'webhookSecret', type: 'text', secret: true },
      { label: 'Visitor token key', name: 'visitorTokenKey', type: 'text', secret: true },
      { label: 'Accept unsigned webhooks', name: 'allowUnsignedWebhooks', type: 'checkbox' },
    ],
  },
];
