import type {
  Attachment,
  HarnessConversation,
  HarnessFault,
  HarnessMessage,
  HarnessUser,
  SupportHarness,
  Team,
} from '@handoff/core';
import { createHarnessClient, createWebhookRecorder } from '@handoff/fake-server';
import { FormData } from 'undici';
import {
  type FakeChatwoot,
  type FakeChatwootSettings,
  harnessHeader,
  startFakeChatwoot,
} from './fake-chatwoot-server.js';
import type { FakeConversation, FakeMessage } from './fake-records.js';
import { seedUserIds } from './fake-seed.js';

/** The conformance harness over a fresh fake Chatwoot, with the fake itself for adapters to use. */
export interface ChatwootHarness extends SupportHarness {
  readonly fake: FakeChatwoot;
}

const statusOf: Record<FakeConversation['status'], HarnessConversation['status']> = {
  pending: 'held',
  open: 'open',
  snoozed: 'open',
  resolved: 'resolved',
};

/** Source ids that mark a bot turn posted with a user token (an adapter without an agent bot). */
const botSourceIdPrefix = 'handoff:';

function authorOf(message: FakeMessage): HarnessMessage['author'] {
  if (message.messageType === 'incoming') return 'user';
  if (message.private) return 'note';
  if (message.sender?.type === 'agent_bot') return 'bot';
  if (message.sourceId?.startsWith(botSourceIdPrefix)) return 'bot';
  return 'agent';
}

function harnessMessage(message: FakeMessage): HarnessMessage {
  return {
    author: authorOf(message),
    text: message.content ?? '',
    private: message.private,
    ...(message.attachments.length === 0
      ? {}
      : {
          attachments: message.attachments.map((attachment) => ({
            url: attachment.dataUrl,
            contentType: attachment.contentType,
            name: attachment.filename,
            size: attachment.byteSize,
          })),
        }),
  };
}

/** A file name for an attachment that has none: the last segment of its URL. */
function fileNameOf(attachment: Attachment): string {
  if (attachment.name !== undefined) return attachment.name;
  const last = new URL(attachment.url).pathname.split('/').filter(Boolean).at(-1);
  return last === undefined || last === '' ? 'attachment' : decodeURIComponent(last);
}

/**
 * A fresh fake Chatwoot and the kit's independent view of it: state read straight from the fake,
 * agent actions through its HTTP API with the agent's own token (as Chatwoot's UI would make them),
 * webhooks as the fake delivers them.
 */
export async function createChatwootHarness(settings: FakeChatwootSettings = {}): Promise<ChatwootHarness> {
  const fake = await startFakeChatwoot(settings);
  const webhooks = createWebhookRecorder({
    subscribe: (listener) => fake.subscribe(listener),
    idle: () => fake.idle(),
  });

  const api = createHarnessClient({
    baseUrl: `${fake.baseUrl}/api/v1/accounts/${fake.accountId}`,
    harnessHeader,
    fakeName: 'the fake Chatwoot',
  });
  /** Calls the fake's API as a person in Chatwoot's UI; anything but a 2xx is a harness failure. */
  const callApi = async (token: string, path: string, body: Record<string, unknown> | FormData) => {
    await api.post(path, body, { api_access_token: token });
  };

  const act = webhooks.during;

  const conversationPath = (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}`;

  return {
    fake,
    agentName: 'Anna',
    secrets: [
      ...new Set([
        fake.tokens.admin,
        fake.tokens.bot,
        fake.tokens.agent,
        fake.inboxSecret,
        fake.agentBotSecret,
      ]),
    ].filter((secret) => secret !== ''),
    features: {
      retryAfterHint: false,
      lostAnswers: true,
      signedWebhooks: fake.behaviours.inboxWebhooksSigned && settings.signWebhooks !== false,
      deliveryIds: fake.behaviours.inboxDeliveryIds,
    },
    async teams(): Promise<Team[]> {
      return fake.teams().map((team) => ({
        id: String(team.id),
        name: team.name,
        ...(team.description === '' || team.description === null ? {} : { description: team.description }),
      }));
    },
    async findUsers({ externalId }): Promise<HarnessUser[]> {
      return fake
        .contacts()
        .filter((contact) => contact.identifier === externalId)
        .map((contact) => ({
          supportUserId: String(contact.id),
          externalId,
          ...(contact.name === null || contact.name === '' ? {} : { name: contact.name }),
          ...(contact.email === null ? {} : { email: contact.email }),
        }));
    },
    async getConversation(conversationId): Promise<HarnessConversation | undefined> {
      if (!/^\d+$/.test(conversationId)) return undefined;
      const conversation = fake.conversation(Number(conversationId));
      if (conversation === undefined) return undefined;
      const team = fake.teams().find((candidate) => candidate.id === conversation.teamId);
      return {
        conversationId: String(conversation.displayId),
        supportUserId: String(conversation.contactId),
        // What agents can read on the conversation: its additional and custom attributes.
        attributes: { ...conversation.additionalAttributes, ...conversation.customAttributes },
        status: statusOf[conversation.status],
        // Told through a notification (bot handoff, assignment), or live: every status and assignee
        // change of an open conversation is broadcast to the dashboards of the inbox's members
        // (`ActionCableListener#conversation_status_changed`, `#assignee_changed`); a pending one
        // is the bot's and stays out of their open view.
        agentsNotified:
          conversation.status === 'open' ||
          fake.notifications().some((notification) => notification.conversationId === conversation.displayId),
        ...(team === undefined ? {} : { team: { id: String(team.id), name: team.name } }),
        labels: [...conversation.labels],
        messages: conversation.messages
          .filter((message) => message.messageType !== 'activity')
          .map(harnessMessage),
      };
    },
    async setTeamAvailability(teamId, available) {
      const team = fake.teams().find((candidate) => String(candidate.id) === teamId);
      if (team === undefined) throw new Error(`the fake has no team ${teamId}`);
      for (const userId of team.memberIds) fake.setAvailability(userId, available ? 'online' : 'offline');
    },
    async unknownConversationId() {
      // Display ids are handed out in order from 1, so the first free one plus a margin is unused.
      let displayId = 1;
      while (fake.conversation(displayId) !== undefined) displayId += 1;
      return String(displayId + 1_000);
    },
    agentReply(conversationId, reply) {
      return act(async () => {
        const path = `${conversationPath(conversationId)}/messages`;
        if (reply.attachments === undefined || reply.attachments.length === 0) {
          await callApi(fake.tokens.agent, path, { content: reply.text, message_type: 'outgoing' });
          return;
        }
        // An agent uploads files from their computer: the harness makes small ones with the given
        // names and types instead of fetching the URLs.
        const form = new FormData();
        form.append('content', reply.text);
        form.append('message_type', 'outgoing');
        for (const attachment of reply.attachments) {
          const name = fileNameOf(attachment);
          form.append(
            'attachments[]',
            new Blob([`Test file ${name}\n`], { type: attachment.contentType }),
            name,
          );
        }
        await callApi(fake.tokens.agent, path, form);
      });
    },
    agentNote(conversationId, text) {
      return act(() =>
        callApi(fake.tokens.agent, `${conversationPath(conversationId)}/messages`, {
          content: text,
          message_type: 'outgoing',
          private: true,
        }),
      );
    },
    agentTyping(conversationId, typing) {
      return act(() =>
        callApi(fake.tokens.agent, `${conversationPath(conversationId)}/toggle_typing_status`, {
          typing_status: typing ? 'on' : 'off',
        }),
      );
    },
    assignAgent(conversationId) {
      return act(() =>
        callApi(fake.tokens.admin, `${conversationPath(conversationId)}/assignments`, {
          assignee_id: seedUserIds.anna,
        }),
      );
    },
    resolve(conversationId) {
      return act(() =>
        callApi(fake.tokens.agent, `${conversationPath(conversationId)}/toggle_status`, {
          status: 'resolved',
        }),
      );
    },
    async takeWebhooks() {
      return webhooks.take();
    },
    reopen(conversationId) {
      return act(() =>
        callApi(fake.tokens.agent, `${conversationPath(conversationId)}/toggle_status`, { status: 'open' }),
      );
    },
    async conversationsOf(supportUserId) {
      return fake
        .conversations()
        .filter((conversation) => String(conversation.contactId) === supportUserId)
        .map((conversation) => String(conversation.displayId));
    },
    injectFault(fault: HarnessFault, options = {}) {
      fake.injectFault(fault, options);
    },
    clearFaults() {
      return fake.clearFaults();
    },
    async close() {
      webhooks.stop();
      await fake.close();
    },
  };
}
