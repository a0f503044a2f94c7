import type {
  HarnessConversation,
  HarnessFault,
  HarnessMessage,
  HarnessUser,
  SupportHarness,
  Team,
} from '@handoff/core';
import { createHarnessClient, createWebhookRecorder } from '@handoff/fake-server';
import { htmlToPlainText } from './fake-html.js';
import {
  type FakeIntercom,
  type FakeIntercomSettings,
  harnessHeader,
  startFakeIntercom,
} from './fake-intercom-server.js';
import type { FakeAttachment, FakeAuthor, FakeConversation, FakePart } from './fake-records.js';

/** The conformance harness over a fresh fake Intercom, with the fake itself for adapters to use. */
export interface IntercomHarness extends SupportHarness {
  readonly fake: FakeIntercom;
}

/** Intercom has no state that holds a conversation back from agents: snoozed ones are still theirs. */
const statusOf: Record<FakeConversation['state'], HarnessConversation['status']> = {
  open: 'open',
  snoozed: 'open',
  closed: 'resolved',
};

function attachmentsOf(attachments: readonly FakeAttachment[]): Pick<HarnessMessage, 'attachments'> {
  if (attachments.length === 0) return {};
  return {
    attachments: attachments.map((attachment) => ({
      url: attachment.url,
      contentType: attachment.contentType,
      name: attachment.name,
      ...(attachment.filesize === null ? {} : { size: attachment.filesize }),
    })),
  };
}

/**
 * The conformance view of a message: contacts are the user; the bot admin is the bot (its notes
 * are notes); every other admin is an agent, and their notes are notes too.
 */
function harnessMessage(
  botAdminId: string,
  message: { author: FakeAuthor; body: string; attachments: FakeAttachment[]; note: boolean },
): HarnessMessage {
  const isAdmin = message.author.type === 'admin';
  let author: HarnessMessage['author'] = 'user';
  if (message.note) author = 'note';
  else if (isAdmin) author = message.author.id === botAdminId ? 'bot' : 'agent';
  else if (message.author.type === 'bot') author = 'bot';
  return {
    author,
    text: htmlToPlainText(message.body),
    private: message.note,
    ...attachmentsOf(message.attachments),
  };
}

/** Parts with a body: comments, notes and user replies; assignments or closes that carried a message. */
const hasBody = (part: FakePart): part is FakePart & { body: string } =>
  part.body !== null && htmlToPlainText(part.body).trim() !== '';

/**
 * A fresh fake Intercom and the kit's independent view of it: state read straight from the fake,
 * agent actions through its HTTP API as Anna (as Intercom's inbox would make them: no app package
 * code), webhooks as the fake delivers them.
 */
export async function createIntercomHarness(settings: FakeIntercomSettings = {}): Promise<IntercomHarness> {
  const fake = await startFakeIntercom(settings);
  const webhooks = createWebhookRecorder({
    subscribe: (listener) => fake.subscribe(listener),
    idle: () => fake.idle(),
  });
  const anna = fake.humanAdmin.id;

  const api = createHarnessClient({
    baseUrl: fake.baseUrl,
    harnessHeader,
    fakeName: 'the fake Intercom',
    headers: {
      authorization: `Bearer ${fake.accessToken}`,
      accept: 'application/json',
      'intercom-version': '2.14',
    },
  });
  /** Calls the fake's API as a person in Intercom's inbox; anything but a 2xx is a harness failure. */
  const callApi = async (path: string, body: Record<string, unknown>) => {
    await api.post(path, body);
  };

  const act = webhooks.during;

  const conversationPath = (conversationId: string) => `/conversations/${encodeURIComponent(conversationId)}`;
  // Intercom says when a rate limit resets, and signs no timestamp (replays are refused by id).
  const features: SupportHarness['features'] = {
    retryAfterHint: true,
    timestampedSignatures: false,
    lostAnswers: true,
  };

  return {
    fake,
    agentName: 'Anna',
    features,
    secrets: [fake.accessToken, fake.clientSecret],
    async teams(): Promise<Team[]> {
      return fake.teams().map((team) => ({ id: team.id, name: team.name }));
    },
    async findUsers({ externalId }): Promise<HarnessUser[]> {
      // Archived contacts are still the person's (hidden, restored when they return); deleted ones are gone.
      return fake
        .contacts()
        .filter((contact) => contact.externalId === externalId && !contact.deleted)
        .map((contact) => ({
          supportUserId: contact.id,
          externalId,
          ...(contact.name === null ? {} : { name: contact.name }),
          ...(contact.email === null ? {} : { email: contact.email }),
        }));
    },
    async getConversation(conversationId): Promise<HarnessConversation | undefined> {
      const conversation = fake.conversation(conversationId);
      if (conversation === undefined) return undefined;
      const team = fake.teams().find((candidate) => Number(candidate.id) === conversation.teamAssigneeId);
      const { source } = conversation;
      return {
        conversationId: conversation.id,
        supportUserId: conversation.contactIds[0] ?? '',
        status: statusOf[conversation.state],
        // A contact-initiated conversation is in the inbox, in front of the agents, from the start.
        agentsNotified:
          source.deliveredAs === 'customer_initiated' ||
          conversation.adminAssigneeId !== null ||
          conversation.teamAssigneeId !== null,
        ...(team === undefined ? {} : { team: { id: team.id, name: team.name } }),
        messages: [
          harnessMessage(fake.botAdminId, { ...source, note: false }),
          ...conversation.parts
            .filter(hasBody)
            .map((part) => harnessMessage(fake.botAdminId, { ...part, note: part.partType === 'note' })),
        ],
      };
    },
    async setTeamAvailability(teamId, available) {
      const team = fake.teams().find((candidate) => candidate.id === teamId);
      if (team === undefined) throw new Error(`the fake has no team ${teamId}`);
      for (const adminId of team.adminIds) fake.setAdminAway(adminId, !available);
    },
    async unknownConversationId() {
      // Conversation ids are handed out in order, so past the highest one plus a margin is unused.
      let id = 501;
      while (fake.conversation(String(id)) !== undefined) id += 1;
      return String(id + 100_000);
    },
    agentReply(conversationId, reply) {
      return act(async () => {
        // An agent uploads files in the inbox; the fake stands them for attachment URLs whose
        // name and type it is told about.
        for (const attachment of reply.attachments ?? []) {
          fake.registerFile(attachment.url, {
            contentType: attachment.contentType,
            ...(attachment.name === undefined ? {} : { name: attachment.name }),
            ...(attachment.size === undefined ? {} : { size: attachment.size }),
          });
        }
        await callApi(`${conversationPath(conversationId)}/reply`, {
          message_type: 'comment',
          type: 'admin',
          admin_id: anna,
          body: reply.text,
          ...(reply.attachments === undefined || reply.attachments.length === 0
            ? {}
            : { attachment_urls: reply.attachments.map((attachment) => attachment.url) }),
        });
      });
    },
    agentNote(conversationId, text) {
      return act(() =>
        callApi(`${conversationPath(conversationId)}/reply`, {
          message_type: 'note',
          type: 'admin',
          admin_id: anna,
          body: text,
        }),
      );
    },
    async agentTyping() {
      // Intercom sends no typing webhooks.
      await fake.idle();
      return [];
    },
    assignAgent(conversationId) {
      return act(() =>
        callApi(`${conversationPath(conversationId)}/parts`, {
          message_type: 'assignment',
          type: 'admin',
          admin_id: anna,
          assignee_id: anna,
        }),
      );
    },
    resolve(conversationId) {
      return act(() =>
        callApi(`${conversationPath(conversationId)}/parts`, {
          message_type: 'close',
          type: 'admin',
          admin_id: anna,
        }),
      );
    },
    async takeWebhooks() {
      return webhooks.take();
    },
    reopen(conversationId) {
      return act(() =>
        callApi(`${conversationPath(conversationId)}/parts`, {
          message_type: 'open',
          type: 'admin',
          admin_id: anna,
        }),
      );
    },
    async conversationsOf(supportUserId) {
      return fake
        .conversations()
        .filter((conversation) => conversation.contactIds.includes(supportUserId))
        .map((conversation) => conversation.id);
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
