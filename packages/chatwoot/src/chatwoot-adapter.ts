import {
  createMemoryReplayGuard,
  isSupportError,
  type SupportAdapter,
  type SupportCapabilities,
  SupportError,
  type SupportUser,
  type Team,
  type TranscriptMessage,
} from '@handoff/core';
import {
  allDone,
  errorFromTransportFailure,
  parseWebhookJson,
  readHeader,
  refuseReplayedDelivery,
  verifyTimestampedSignature,
} from '@handoff/http';
import { type ChatwootClient, createChatwootClient } from './chatwoot-client.js';
import { createConversationActions } from './chatwoot-conversation-actions.js';
import { noteKey, numericId, sourceIdOf } from './chatwoot-identifiers.js';
import { existingSourceIds, listMessages } from './chatwoot-message-list.js';
import { createMessagePoster, maxAttachmentBytes } from './chatwoot-message-poster.js';
import {
  type ChatwootContact,
  contactConversationsResponseSchema,
  contactCreateResponseSchema,
  contactFilterResponseSchema,
  contactInboxCreateResponseSchema,
  contactShowResponseSchema,
  conversationSchema,
  teamListResponseSchema,
} from './chatwoot-responses.js';
import { type ChatwootSettings, resolveChatwootSettings } from './chatwoot-settings.js';
import { createChatwootSettingsCheck } from './chatwoot-settings-check.js';
import { chatwootBehaviours } from './chatwoot-versions.js';
import { createChatwootWebhookRegistration } from './chatwoot-webhook-registration.js';
import { chatwootAttributes } from './conversation-attributes.js';
import { createTeamAvailability } from './team-availability.js';
import { handoffAttribute, sessionAttribute } from './webhook/chatwoot-markers.js';
import { chatwootWebhookEvents, closedEventId } from './webhook/chatwoot-webhook-events.js';
import { webhookConversationSchema } from './webhook/chatwoot-webhook-payload.js';
import { webhookContent } from './webhook/webhook-content.js';

const provider = 'chatwoot';

export const chatwootCapabilities: SupportCapabilities = {
  privateNotes: true,
  attachments: { maxBytes: maxAttachmentBytes, maxPerMessage: 15 },
  agentTyping: true,
  assignmentEvents: true,
  labels: true,
  availability: true,
  holdsConversationUntilTransfer: true,
  botAttribution: true,
  // `createChatwootAgentBot` hosts the bot in a Chatwoot inbox.
  internalMode: true,
  catchUp: true,
  // `verifySettings`: profile, account, inbox and agent bot; `registerWebhook`: account webhooks.
  settingsCheck: true,
  webhookRegistration: true,
  // Every webhook is its own Sidekiq job, run concurrently (`EventDispatcherJob`, `WebhookJob`).
  orderedWebhooks: false,
  maxMessagesPerPost: 50,
  // `validates :content, length: { maximum: 150_000 }` (`app/models/message.rb`): Ruby counts code points.
  textLength: { max: 150_000, unit: 'code_points' },
  // The defaults; the adapter states its configured tolerance (and none when it runs unsigned).
  webhookFreshness: { toleranceSeconds: 300, replayWindowSeconds: 600 },
};

/** Webhook headers Chatwoot sends (signature and timestamp since 4.11.2 for account webhooks, 4.13 for inboxes). */
export const chatwootWebhookHeaders = {
  signature: 'x-chatwoot-signature',
  timestamp: 'x-chatwoot-timestamp',
  delivery: 'x-chatwoot-delivery',
} as const;

/** A webhook body read as JSON before it is verified (undefined when it is not JSON). */
function readUnverified(body: string | Uint8Array): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

/** Whether an unverified webhook is `message_created` for a message id in `own`. */
function isOwnMessageEcho(json: unknown, own: ReadonlySet<number>): boolean {
  if (own.size === 0 || typeof json !== 'object' || json === null) return false;
  const { event, id } = json as { event?: unknown; id?: unknown };
  return event === 'message_created' && typeof id === 'number' && own.has(id);
}

export function createChatwootAdapter(input: ChatwootSettings = {}): SupportAdapter {
  const settings = resolveChatwootSettings(input);
  const behaviours = chatwootBehaviours(settings.chatwootVersion);
  const client: ChatwootClient = createChatwootClient({ ...settings, dispatcher: input.dispatcher });
  /** Bots may call the labels endpoints from 4.14.2; before, labels need the user token. */
  const labelToken = client.usesBotToken && !behaviours.botMayReadConversations ? 'user' : 'conversation';
  const replayGuard = input.replayGuard ?? createMemoryReplayGuard();
  const actions = createConversationActions(client);
  const post = createMessagePoster({
    client,
    perMinute: settings.messagesPerMinute,
    dispatcher: input.dispatcher,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
  const contactIds = new Map<string, string>();
  /** source_ids this instance posted, per conversation (a retry within the process skips them). */
  const posted = new Map<string, Set<string>>();
  const ownMessageIds = new Set<number>();
  const closedByAdapter = new Set<string>();
  let teamsCache: { teams: Team[]; at: number } | undefined;
  const teamAvailability = createTeamAvailability({
    client,
    inboxId: settings.inboxId,
    cacheTtlMs: settings.teamsCacheTtlMs,
  });

  const verifySettings = createChatwootSettingsCheck({
    client,
    accountId: settings.accountId,
    inboxId: settings.inboxId,
    agentBotId: settings.agentBotId,
  });
  const registerWebhook = createChatwootWebhookRegistration(client);

  const rememberPosted = (conversationId: string, sourceId: string, messageId: number) => {
    let set = posted.get(conversationId);
    if (set === undefined) {
      set = new Set();
      posted.set(conversationId, set);
    }
    set.add(sourceId);
    ownMessageIds.add(messageId);
    if (ownMessageIds.size > 50_000) ownMessageIds.delete(ownMessageIds.values().next().value as number);
  };

  const filterContacts = async (
    key: 'identifier' | 'email' | 'phone_number',
    value: string,
    signal?: AbortSignal,
  ) => {
    const { payload } = await client.call({
      operation: 'ensureUser',
      method: 'POST',
      path: '/contacts/filter',
      query: { page: 1 },
      json: {
        payload: [{ attribute_key: key, filter_operator: 'equal_to', values: [value], query_operator: null }],
      },
      token: 'user',
      schema: contactFilterResponseSchema,
      signal,
    });
    // The filter is case-insensitive; an identifier must match exactly.
    return key === 'identifier' ? payload.filter((contact) => contact.identifier === value) : payload;
  };

  /** Makes sure the contact can have conversations in the API inbox. */
  const joinInbox = async (contact: ChatwootContact, signal?: AbortSignal) => {
    const inboxes = contact.contact_inboxes;
    if (inboxes === undefined) {
      const { payload } = await client.call({
        operation: 'ensureUser',
        method: 'GET',
        path: `/contacts/${contact.id}`,
        token: 'user',
        schema: contactShowResponseSchema,
        signal,
      });
      if (payload.contact_inboxes?.some((entry) => entry.inbox?.id === settings.inboxId)) return;
    } else if (inboxes.some((entry) => entry.inbox?.id === settings.inboxId)) {
      return;
    }
    await client.call({
      operation: 'ensureUser',
      method: 'POST',
      path: `/contacts/${contact.id}/contact_inboxes`,
      json: { inbox_id: settings.inboxId },
      token: 'user',
      schema: contactInboxCreateResponseSchema,
      signal,
    });
  };

  const createContact = (
    user: SupportUser,
    fields: { email?: string; phone?: string },
    signal?: AbortSignal,
  ) =>
    client.call({
      operation: 'ensureUser',
      method: 'POST',
      path: '/contacts',
      json: {
        inbox_id: settings.inboxId,
        identifier: user.id,
        ...(user.name === undefined ? {} : { name: user.name }),
        ...(fields.email === undefined ? {} : { email: fields.email }),
        ...(fields.phone === undefined ? {} : { phone_number: fields.phone }),
        ...(user.attributes === undefined ? {} : { custom_attributes: user.attributes }),
      },
      token: 'user',
      schema: contactCreateResponseSchema,
      signal,
    });

  /**
   * A 422 on create: the identifier appeared meanwhile (a race), or the email or phone belongs to
   * another contact. Adopt a contact that has no identifier yet; otherwise create this user without
   * the clashing fields, never a second contact for the same person.
   */
  const resolveDuplicate = async (user: SupportUser, signal?: AbortSignal): Promise<ChatwootContact> => {
    const [raced] = await filterContacts('identifier', user.id, signal);
    if (raced !== undefined) return raced;
    const byEmail = user.email === undefined ? [] : await filterContacts('email', user.email, signal);
    const byPhone = user.phone === undefined ? [] : await filterContacts('phone_number', user.phone, signal);
    const match = [...byEmail, ...byPhone].find((contact) => !contact.identifier);
    if (match !== undefined) {
      await client.call({
        operation: 'ensureUser',
        method: 'PUT',
        path: `/contacts/${match.id}`,
        json: { identifier: user.id },
        token: 'user',
        schema: contactShowResponseSchema,
        signal,
      });
      return match;
    }
    const clashes = new Set([...byEmail, ...byPhone].map((contact) => contact.id));
    const keepEmail =
      user.email !== undefined && byEmail.length === 0 && clashes.size > 0 ? user.email : undefined;
    const keepPhone =
      user.phone !== undefined && byPhone.length === 0 && clashes.size > 0 ? user.phone : undefined;
    const { payload } = await createContact(
      user,
      {
        ...(keepEmail === undefined ? {} : { email: keepEmail }),
        ...(keepPhone === undefined ? {} : { phone: keepPhone }),
      },
      signal,
    );
    return payload.contact;
  };

  const postNote = async (
    conversationId: string,
    kind: 'transfer' | 'close',
    note: string,
    options: { recover?: boolean | undefined; signal?: AbortSignal | undefined },
  ) => {
    const sourceId = sourceIdOf(kind, noteKey(conversationId, note));
    if (posted.get(conversationId)?.has(sourceId)) return;
    if (
      options.recover &&
      (await existingSourceIds(client, 'postMessages', conversationId, options.signal)).has(sourceId)
    )
      return;
    // Through the poster: notes count against Chatwoot's 200-a-minute guard like every message.
    const id = await post(
      kind === 'transfer' ? 'transfer' : 'closeSession',
      conversationId,
      { content: note, message_type: 'outgoing', private: true, source_id: sourceId },
      {},
      options.signal,
    );
    rememberPosted(conversationId, sourceId, id);
  };

  const messageBody = (
    message: TranscriptMessage,
    sourceId: string,
  ): Record<string, string | boolean | number> => {
    const body: Record<string, string | boolean | number> = {
      content: message.text,
      message_type: message.author === 'user' ? 'incoming' : 'outgoing',
      private: message.author === 'note',
      source_id: sourceId,
    };
    // With a user token, bot turns are attributed to the agent bot explicitly (`Messages::MessageBuilder#sender`: `sender_type` AgentBot with `sender_id`).
    if (message.author === 'bot' && !client.usesBotToken && settings.agentBotId !== undefined) {
      body.sender_type = 'AgentBot';
      body.sender_id = settings.agentBotId;
    }
    return body;
  };

  const postMessage = async (conversationId: string, message: TranscriptMessage, signal?: AbortSignal) => {
    const sourceId = sourceIdOf('message', message.id);
    const id = await post('postMessages', conversationId, messageBody(message, sourceId), message, signal);
    rememberPosted(conversationId, sourceId, id);
    return id;
  };

  const verify = (
    headers: Parameters<SupportAdapter['handleWebhook']>[0]['headers'],
    body: string | Uint8Array,
    receivedAt?: Date,
  ) => {
    if (settings.webhookSecret === undefined) return;
    verifyTimestampedSignature({
      secret: settings.webhookSecret,
      timestamp: readHeader(headers, chatwootWebhookHeaders.timestamp),
      signature: readHeader(headers, chatwootWebhookHeaders.signature),
      body,
      toleranceSeconds: settings.webhookToleranceSeconds,
      provider,
      ...(receivedAt === undefined ? {} : { receivedAt }),
    });
  };

  return {
    provider,
    capabilities: chatwootCapabilities,

    async ensureUser({ user, signal }) {
      const cached = contactIds.get(user.id);
      if (cached !== undefined) return { supportUserId: cached, created: false };
      // Create first: a user new to Chatwoot costs one call. Chatwoot refuses a second contact with
      // the same identifier (422), which sends an existing user down the look-up path instead.
      let contact: ChatwootContact;
      let created = true;
      try {
        contact = (
          await createContact(
            user,
            {
              ...(user.email === undefined ? {} : { email: user.email }),
              ...(user.phone === undefined ? {} : { phone: user.phone }),
            },
            signal,
          )
        ).payload.contact;
      } catch (error) {
        if (!(isSupportError(error) && error.code === 'conflict')) throw error;
        contact = await resolveDuplicate(user, signal);
        created = false;
        await joinInbox(contact, signal);
      }
      contactIds.set(user.id, String(contact.id));
      return { supportUserId: String(contact.id), created };
    },

    async openConversation({
      supportUserId,
      sessionId,
      handoffId,
      recover,
      attributes,
      firstMessage,
      signal,
    }) {
      const contactId = numericId(supportUserId, 'contact', 'openConversation');
      if (recover) {
        const { payload } = await client.call({
          operation: 'openConversation',
          method: 'GET',
          path: `/contacts/${contactId}/conversations`,
          token: 'user',
          schema: contactConversationsResponseSchema,
          signal,
        });
        const found = payload.find(
          (conversation) =>
            conversation.custom_attributes?.[handoffAttribute] === handoffId &&
            conversation.status !== 'resolved',
        );
        if (found !== undefined) return { conversationId: String(found.id), recovered: true };
      }
      // The first message rides along (one call less), unless it carries files (multipart).
      const withMessage = firstMessage !== undefined && (firstMessage.attachments?.length ?? 0) === 0;
      const firstSourceId = firstMessage === undefined ? undefined : sourceIdOf('message', firstMessage.id);
      const conversation = await client.call({
        operation: 'openConversation',
        method: 'POST',
        path: '/conversations',
        json: {
          inbox_id: settings.inboxId,
          contact_id: contactId,
          status: 'pending',
          custom_attributes: { [sessionAttribute]: sessionId, [handoffAttribute]: handoffId },
          ...(attributes === undefined ? {} : { additional_attributes: chatwootAttributes(attributes) }),
          ...(withMessage && firstMessage !== undefined && firstSourceId !== undefined
            ? { message: messageBody(firstMessage, firstSourceId) }
            : {}),
        },
        token: 'conversation',
        schema: conversationSchema,
        signal,
      });
      // An inbox with lock_to_single_conversation answers with the contact's last conversation,
      // even a resolved one (`ConversationBuilder`, `app/builders/conversation_builder.rb`): refuse to reuse it.
      if (conversation.custom_attributes?.[handoffAttribute] !== handoffId) {
        throw new SupportError({
          code: 'invalid_request',
          message: `Chatwoot returned existing conversation ${conversation.id} instead of a new one: turn off "lock to single conversation" on inbox ${settings.inboxId}`,
          provider,
          operation: 'openConversation',
        });
      }
      const conversationId = String(conversation.id);
      if (!withMessage || firstSourceId === undefined) return { conversationId, recovered: false };
      const created = conversation.messages?.find((message) => message.source_id === firstSourceId);
      if (created !== undefined) rememberPosted(conversationId, firstSourceId, created.id);
      return { conversationId, recovered: false, postedFirstMessage: true };
    },

    async postMessages({ conversationId, messages, recover, signal }) {
      numericId(conversationId, 'conversation', 'postMessages');
      const already = posted.get(conversationId);
      const existing = recover
        ? await existingSourceIds(client, 'postMessages', conversationId, signal)
        : undefined;
      const result: Array<{ id: string; supportMessageId: string }> = [];
      for (const message of messages) {
        const sourceId = sourceIdOf('message', message.id);
        if (already?.has(sourceId) || existing?.has(sourceId)) continue;
        const id = await postMessage(conversationId, message, signal);
        result.push({ id: message.id, supportMessageId: String(id) });
      }
      return { posted: result };
    },

    async listTeams(options = {}) {
      if (teamsCache !== undefined && Date.now() - teamsCache.at < settings.teamsCacheTtlMs)
        return teamsCache.teams;
      const teams = await client.call({
        operation: 'listTeams',
        method: 'GET',
        path: '/teams',
        token: 'user',
        schema: teamListResponseSchema,
        signal: options.signal,
      });
      teamsCache = { teams: teams.map((team) => ({ id: String(team.id), name: team.name })), at: Date.now() };
      return teamsCache.teams;
    },

    async transfer({ conversationId, team, note, labels, recover, signal }) {
      numericId(conversationId, 'conversation', 'transfer');
      const teamId = numericId(team, 'team', 'transfer');
      const known = teamsCache?.teams;
      if (known !== undefined && !known.some((candidate) => candidate.id === team)) {
        throw new SupportError({
          code: 'not_found',
          message: `Chatwoot has no team ${team}`,
          provider,
          operation: 'transfer',
        });
      }
      // The team, the note and the labels do not depend on each other: set at once (one round trip
      // instead of four), and all of them before the agents are told. Every one is done, or has
      // failed, before the transfer answers, so a retry never overlaps calls still in flight.
      const [assigned] = await allDone([
        actions.assignTeam('transfer', conversationId, teamId, signal),
        note !== undefined && note !== ''
          ? postNote(conversationId, 'transfer', note, { recover, signal })
          : undefined,
        labels !== undefined && labels.length > 0
          ? actions.addLabels('transfer', conversationId, labels, signal, labelToken)
          : undefined,
      ]);
      // With the bot token this is Chatwoot's bot handoff (agents notified); an admin token also
      // opens it without assigning; an agent-role token would assign the conversation to itself.
      await actions.toggleStatus('transfer', conversationId, 'open', signal);
      return { team: assigned };
    },

    async teamAvailability({ team, signal }) {
      numericId(team, 'team', 'teamAvailability');
      return teamAvailability({ team, signal });
    },

    async closeSession({ conversationId, note, recover, signal }) {
      numericId(conversationId, 'conversation', 'closeSession');
      if (note !== undefined && note !== '')
        await postNote(conversationId, 'close', note, { recover, signal });
      closedByAdapter.add(conversationId);
      try {
        await actions.toggleStatus('closeSession', conversationId, 'resolved', signal);
      } catch (error) {
        closedByAdapter.delete(conversationId);
        throw error;
      }
    },

    async syncConversation({ conversationId, afterMessageId, signal }) {
      numericId(conversationId, 'conversation', 'syncConversation');
      const after =
        afterMessageId === undefined ? 0 : numericId(afterMessageId, 'message', 'syncConversation');
      const conversation = await client.call({
        operation: 'syncConversation',
        method: 'GET',
        path: `/conversations/${conversationId}`,
        token: 'user',
        schema: webhookConversationSchema.loose(),
        signal,
      });
      const messages = await listMessages(client, 'syncConversation', conversationId, after, signal);
      const context = {
        inboxId: settings.inboxId,
        isOwnMessage: (id: number) => ownMessageIds.has(id),
        closedByAdapter: (id: string) => closedByAdapter.has(id),
      };
      // The same translation and echo rules as the webhooks (REST gives integer message types,
      // which they accept), and the text as the webhooks normalise it, so the events are the ones
      // (ids and texts) the missed webhooks would have given.
      const events = [];
      const unreadable = [];
      for (const message of messages) {
        const raw = (message as { content?: unknown }).content;
        const content = typeof raw === 'string' ? webhookContent(raw, behaviours) : raw;
        const translated = chatwootWebhookEvents(
          { ...message, content, event: 'message_created', inbox: { id: settings.inboxId }, conversation },
          context,
        );
        events.push(...translated.events);
        unreadable.push(...translated.unreadable);
      }
      if (conversation.status === 'resolved' || conversation.status === 'pending') {
        events.push({
          type: 'conversation.closed' as const,
          id: closedEventId(conversationId),
          conversationId,
          ...(typeof conversation.custom_attributes?.[sessionAttribute] === 'string'
            ? { sessionId: conversation.custom_attributes[sessionAttribute] as string }
            : {}),
          ...(typeof conversation.updated_at === 'number'
            ? { occurredAt: new Date(conversation.updated_at * 1000).toISOString() }
            : {}),
          closedBy: closedByAdapter.has(conversationId) ? ('bot' as const) : ('agent' as const),
        });
      }
      return { events, ...(unreadable.length === 0 ? {} : { unreadable }) };
    },

    verifySettings,
    registerWebhook,

    async handleWebhook({ headers, body, receivedAt, signal }) {
      if (signal?.aborted)
        throw errorFromTransportFailure({ provider, operation: 'handleWebhook' }, signal.reason, {
          caller: signal,
        });
      // The echo of a message this adapter posted changes nothing, whoever sent it: dropped before
      // the signature, the replay record and the translation are paid for (every message posted
      // comes back as one).
      const unverified = readUnverified(body);
      if (isOwnMessageEcho(unverified, ownMessageIds)) return { events: [] };
      verify(headers, body, receivedAt);
      const deliveryId = readHeader(headers, chatwootWebhookHeaders.delivery);
      if (deliveryId !== undefined && deliveryId !== '') {
        await refuseReplayedDelivery(replayGuard, {
          provider,
          deliveryId,
          ttlMs: settings.webhookToleranceSeconds * 2_000,
        });
      }
      // Parsed once: the verified body is the one read above.
      const json = unverified ?? parseWebhookJson(body, provider);
      const { events, unreadable } = chatwootWebhookEvents(
        json,
        {
          inboxId: settings.inboxId,
          isOwnMessage: (id) => ownMessageIds.has(id),
          closedByAdapter: (id) => closedByAdapter.has(id),
        },
        deliveryId,
      );
      // Chatwoot sometimes sends the same event twice under different delivery ids (#11901), and
      // the two webhooks of one status change tell the same close.
      // Typing is passing state: a repeat is harmless, and without delivery ids (before 4.11.2)
      // two typings of one agent look the same, so they are never dropped as duplicates.
      const fresh = [];
      for (const event of events) {
        if (
          event.type === 'agent.typing' ||
          (await replayGuard.firstSeen(`${provider}:event:${event.id}`, 24 * 60 * 60 * 1000))
        )
          fresh.push(event);
      }
      return {
        ...(deliveryId === undefined ? {} : { deliveryId }),
        events: fresh,
        ...(unreadable.length === 0 ? {} : { unreadable }),
      };
    },
  };
}
