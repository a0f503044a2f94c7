import {
  createMemoryReplayGuard,
  isSupportError,
  type SupportAdapter,
  type SupportCapabilities,
  SupportError,
  type SupportEvent,
  type SupportUser,
  type TranscriptMessage,
  type UnreadablePart,
} from '@handoff/core';
import { errorFromTransportFailure } from '@handoff/http';
import { isAgentWorkspace, ownKeyOf } from './sunshine-conversation-actions.js';
import { metadataKeys, noteKeyOf } from './sunshine-metadata.js';
import { createSunshineParts } from './sunshine-parts.js';
import {
  conversationListSchema,
  conversationResponseSchema,
  participantListSchema,
  type SunshineConversation,
  userResponseSchema,
} from './sunshine-responses.js';
import { resolveSunshineSettings, type SunshineSettings } from './sunshine-settings.js';
import { createSunshineSettingsCheck } from './sunshine-settings-check.js';
import { webhookMessageSchema } from './webhook/sunshine-event-payloads.js';
import { eventsOfDelivery, receiveDelivery, replayWindowSeconds } from './webhook/sunshine-webhook.js';
import { agentMessageEvent, sessionIdOf, supportEventsOf } from './webhook/support-events.js';

const provider = 'sunshine';

/** The longest text Sunshine Conversations takes (`textMessage.text`: maxLength 4096). */
export const sunshineTextMax = 4096;

/**
 * What the Sunshine Conversations adapter does (external mode), as the engine and the kit read it.
 */
export const sunshineCapabilities: SupportCapabilities = {
  // Zendesk agents' internal notes are ticket comments: no webhook of the Sunshine integration
  // carries them. The bot's notes are posted as its messages.
  privateNotes: false,
  attachments: false,
  // `conversation:typing` with a business author (typing:start / typing:stop).
  agentTyping: true,
  assignmentEvents: false,
  labels: false,
  availability: false,
  // The bot's switchboard integration holds the conversation (passControl to it on open): the
  // Agent Workspace makes no ticket of it until the transfer passes control to it.
  holdsConversationUntilTransfer: true,
  // Bot turns are business messages with the bot's display name; Zendesk shows them as the
  // business, not as a bot.
  botAttribution: false,
  internalMode: true,
  // `syncConversation` reads the messages back (ListMessages) and whether anyone still holds it.
  catchUp: true,
  // `verifySettings`: the key and app, our switchboard integration, the Support token.
  settingsCheck: true,
  webhookRegistration: false,
  // Sunshine Conversations documents no order for deliveries (one delivery may hold several events).
  orderedWebhooks: false,
  maxMessagesPerPost: 50,
  // `textMessage.text` has maxLength 4096; counted in UTF-16 units, the stricter reading.
  textLength: { max: sunshineTextMax, unit: 'utf16_units' },
  // Sunshine Conversations signs nothing (a shared secret in X-API-Key): replays are refused by
  // their event ids for a day (it retries a delivery for 15 minutes).
  webhookFreshness: { replayWindowSeconds },
};

/** Refuses a batch Sunshine Conversations cannot take whole, before anything is posted. */
export function refuseUnpostable(operation: string, messages: readonly TranscriptMessage[]): void {
  for (const message of messages) {
    const problem =
      (message.attachments?.length ?? 0) > 0
        ? 'files are not supported by this adapter'
        : message.text.length > sunshineTextMax
          ? `a text of ${message.text.length} UTF-16 units; Sunshine Conversations takes at most ${sunshineTextMax}`
          : message.text.trim() === ''
            ? 'an empty text'
            : undefined;
    if (problem !== undefined) {
      throw new SupportError({
        code: 'invalid_request',
        message: `sunshine ${operation} refused message ${message.id}: ${problem}`,
        provider,
        operation,
      });
    }
  }
}

/** Metadata is a flat object of 4 KB at most: our keys first, then the attributes that fit. */
function conversationMetadata(
  ours: Record<string, string>,
  attributes: Record<string, string | number | boolean> | undefined,
): Record<string, string | number | boolean> {
  const metadata: Record<string, string | number | boolean> = { ...ours };
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (key in metadata) continue;
    const candidate = { ...metadata, [key]: value };
    if (Buffer.byteLength(JSON.stringify(candidate)) > 4000) continue;
    metadata[key] = value;
  }
  return metadata;
}

/** The profile Sunshine Conversations keeps (`profile`: each field 128 characters at most). */
function profileOf(user: SupportUser): Record<string, string> {
  return {
    ...(user.name === undefined ? {} : { givenName: user.name.slice(0, 128) }),
    ...(user.email === undefined || user.email.length > 128 ? {} : { email: user.email }),
    ...(user.locale === undefined || user.locale.length > 64 ? {} : { locale: user.locale }),
  };
}

/**
 * The Sunshine Conversations adapter (external mode): the bot keeps the user's channel and mirrors
 * the conversation into Sunshine Conversations, where the Zendesk Agent Workspace takes it over.
 * Users by `externalId`, a personal conversation held by our switchboard integration, user turns
 * as the user and bot turns as the business, transfer by `passControl` to the Agent Workspace
 * (routing tag and context note), close by `releaseControl`; webhooks checked by their shared
 * secret (`X-API-Key`) and refused when replayed.
 */
export function createSunshineAdapter(input: SunshineSettings = {}): SupportAdapter {
  const settings = resolveSunshineSettings(input);
  const now = input.now ?? Date.now;
  const { clients, actions, groups, poster, transferToAgents } = createSunshineParts(settings, {
    dispatcher: input.dispatcher,
    now,
  });
  const { sunshine, appPath } = clients;
  const replayGuard = input.replayGuard ?? createMemoryReplayGuard();
  const userIds = new Map<string, string>();
  const conversationUsers = new Map<string, string>();

  const getUser = async (externalId: string, signal?: AbortSignal) =>
    (
      await sunshine.call({
        operation: 'ensureUser',
        method: 'GET',
        path: appPath(`/users/${encodeURIComponent(externalId)}`),
        schema: userResponseSchema,
        signal,
      })
    ).user;

  /** The user a conversation was opened for: known, else its metadata, else its participants. */
  const userOf = async (conversationId: string, signal?: AbortSignal): Promise<string> => {
    const known = conversationUsers.get(conversationId);
    if (known !== undefined) return known;
    const conversation = await actions.getConversation('postMessages', conversationId, signal);
    const fromMetadata = conversation.metadata?.[metadataKeys.handoffUserId];
    let userId = typeof fromMetadata === 'string' && fromMetadata !== '' ? fromMetadata : undefined;
    if (userId === undefined) {
      const { participants } = await sunshine.call({
        operation: 'postMessages',
        method: 'GET',
        path: appPath(`/conversations/${encodeURIComponent(conversationId)}/participants`),
        schema: participantListSchema,
        signal,
      });
      userId = participants.find((participant) => participant.userId)?.userId ?? undefined;
    }
    if (userId === undefined) {
      throw new SupportError({
        code: 'invalid_request',
        message: `Sunshine Conversations conversation ${conversationId} has no user to post the user's turns as`,
        provider,
        operation: 'postMessages',
      });
    }
    conversationUsers.set(conversationId, userId);
    return userId;
  };

  /** Makes our switchboard integration hold a conversation (before any message: no ticket yet). */
  const holdForBot = async (conversation: SunshineConversation, signal?: AbortSignal) => {
    const active = conversation.activeSwitchboardIntegration;
    if (actions.isOurs(active) || isAgentWorkspace(active)) return;
    const ours = await actions.ownSwitchboardIntegration('openConversation', signal);
    await actions.passControl(
      'openConversation',
      conversation.id,
      ours,
      { [metadataKeys.passedBy]: 'handoff' },
      signal,
    );
  };

  /** The user's conversation opened for `handoffId`, when there is one. */
  const findOpened = async (supportUserId: string, handoffId: string, signal?: AbortSignal) => {
    let after: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const answer = await sunshine.call({
        operation: 'openConversation',
        method: 'GET',
        path: appPath('/conversations'),
        query: {
          'filter[userId]': supportUserId,
          'page[size]': 100,
          ...(after === undefined ? {} : { 'page[after]': after }),
        },
        schema: conversationListSchema,
        signal,
      });
      const found = answer.conversations.find(
        (conversation) => conversation.metadata?.[metadataKeys.handoffId] === handoffId,
      );
      if (found !== undefined) return found;
      after = answer.meta?.afterCursor ?? answer.conversations.at(-1)?.id;
      if (answer.meta?.hasMore !== true || after === undefined) return undefined;
    }
    return undefined;
  };

  return {
    provider,
    capabilities: sunshineCapabilities,
    verifySettings: createSunshineSettingsCheck({
      clients,
      actions,
      baseUrl: settings.baseUrl,
      zendeskUrl: settings.zendeskUrl,
    }),

    async ensureUser({ user, signal }) {
      const cached = userIds.get(user.id);
      if (cached !== undefined) return { supportUserId: cached, created: false };
      const profile = profileOf(user);
      let supportUserId: string;
      let created = true;
      try {
        const answer = await sunshine.call({
          operation: 'ensureUser',
          method: 'POST',
          path: appPath('/users'),
          json: { externalId: user.id, ...(Object.keys(profile).length === 0 ? {} : { profile }) },
          schema: userResponseSchema,
          signal,
        });
        supportUserId = answer.user.id;
      } catch (error) {
        // 409 "User already exists": the externalId is taken, by this user (GetUser takes it).
        if (!(isSupportError(error) && error.code === 'conflict')) throw error;
        const existing = await getUser(user.id, signal).catch((lookup: unknown) => {
          // Nobody has the externalId after all: the 409 itself is the answer.
          if (isSupportError(lookup) && lookup.code === 'not_found') throw error;
          throw lookup;
        });
        if (existing.externalId !== user.id) {
          throw new SupportError({
            code: 'conflict',
            retryable: false,
            message: `Sunshine Conversations answered 409 for externalId ${user.id}, but its user ${existing.id} has another externalId`,
            provider,
            operation: 'ensureUser',
            cause: error,
          });
        }
        supportUserId = existing.id;
        created = false;
      }
      userIds.set(user.id, supportUserId);
      return { supportUserId, created };
    },

    async openConversation({ supportUserId, sessionId, handoffId, attributes, recover, signal }) {
      if (recover) {
        const found = await findOpened(supportUserId, handoffId, signal);
        if (found !== undefined) {
          await holdForBot(found, signal);
          conversationUsers.set(found.id, supportUserId);
          return { conversationId: found.id, recovered: true };
        }
      }
      const metadata = conversationMetadata(
        {
          [metadataKeys.handoffId]: handoffId,
          [metadataKeys.handoffSessionId]: sessionId,
          [metadataKeys.handoffUserId]: supportUserId,
        },
        attributes,
      );
      const { conversation } = await sunshine
        .call({
          operation: 'openConversation',
          method: 'POST',
          path: appPath('/conversations'),
          json: { type: 'personal', participants: [{ userId: supportUserId }], metadata },
          schema: conversationResponseSchema,
          signal,
        })
        .catch((error: unknown) => {
          // 404 user_not_found: the user was deleted since it was ensured; look it up again next time.
          if (isSupportError(error) && error.code === 'not_found') {
            for (const [key, value] of userIds) if (value === supportUserId) userIds.delete(key);
          }
          throw error;
        });
      conversationUsers.set(conversation.id, supportUserId);
      await holdForBot(conversation, signal);
      return { conversationId: conversation.id, recovered: false };
    },

    async postMessages({ conversationId, messages, recover, signal }) {
      refuseUnpostable('postMessages', messages);
      const result = await poster.post({
        operation: 'postMessages',
        conversationId,
        messages,
        recover,
        authorOf: async (message) =>
          message.author === 'user'
            ? { type: 'user', userId: await userOf(conversationId, signal) }
            : { type: 'business', displayName: settings.botName },
        signal,
      });
      return { posted: result };
    },

    async listTeams(options = {}) {
      return groups.list('listTeams', options.signal);
    },

    async transfer({ conversationId, team, note, labels, recover, signal }) {
      const group = await transferToAgents({
        operation: 'transfer',
        conversationId,
        team,
        note,
        labels,
        recover: recover === true,
        firstMessage: 'conversation-start',
        signal,
      });
      return { team: group };
    },

    async closeSession({ conversationId, note, recover, signal }) {
      const conversation = await actions.getConversation('closeSession', conversationId, signal);
      // Nobody holds it: closed already (by us, or the agent solved the ticket).
      if (conversation.activeSwitchboardIntegration == null) return;
      if (note !== undefined && note.trim() !== '') {
        const key = `${metadataKeys.noteId}:${noteKeyOf('close', conversationId, note)}`;
        const already =
          poster.wasPosted(conversationId, key) ||
          (recover === true &&
            (await actions.messages('closeSession', conversationId, signal)).some(
              (message) => ownKeyOf(message) === key,
            ));
        if (!already) {
          // Before the release: a message in a conversation nobody holds would go to the default
          // switchboard integration (possibly a new ticket).
          await actions.postText(
            'closeSession',
            conversationId,
            {
              author: { type: 'business', displayName: settings.botName },
              text: note,
              metadata: { [metadataKeys.noteId]: noteKeyOf('close', conversationId, note) },
              silent: true,
            },
            signal,
          );
          poster.remember(conversationId, key);
        }
      }
      await actions.releaseControl(
        'closeSession',
        conversationId,
        { [metadataKeys.closedBy]: 'bot' },
        signal,
      );
    },

    async syncConversation({ conversationId, afterMessageId, signal }) {
      const conversation = await actions.getConversation('syncConversation', conversationId, signal);
      const messages = await actions.messages('syncConversation', conversationId, signal, (read) =>
        afterMessageId === undefined ? false : read.some((message) => message.id === afterMessageId),
      );
      const seenAt =
        afterMessageId === undefined ? -1 : messages.findIndex((message) => message.id === afterMessageId);
      const events: SupportEvent[] = [];
      const unreadable: UnreadablePart[] = [];
      for (const [index, candidate] of messages.slice(seenAt + 1).entries()) {
        const message = webhookMessageSchema.safeParse(candidate);
        if (!message.success) {
          unreadable.push({
            field: `messages[${index}]`,
            reason: 'not a message with an author',
            eventId: candidate.id,
          });
          continue;
        }
        const built = agentMessageEvent(conversation, message.data, undefined, {
          integrationId: settings.integrationId,
        });
        if (built === 'unreadable')
          unreadable.push({
            field: `messages[${index}].content`,
            reason: 'a message without text or URL',
            eventId: candidate.id,
          });
        else if (built !== undefined) events.push(built);
      }
      // Nobody holds a conversation the agents had: the ticket was solved (or we closed it).
      if (conversation.activeSwitchboardIntegration == null && messages.length > 0) {
        events.push({
          type: 'conversation.closed',
          id: `closed:${conversationId}`,
          conversationId,
          ...sessionIdOf(conversation.metadata),
        });
      }
      return { events, ...(unreadable.length === 0 ? {} : { unreadable }) };
    },

    async handleWebhook({ headers, body, signal }) {
      if (signal?.aborted)
        throw errorFromTransportFailure({ provider, operation: 'handleWebhook' }, signal.reason, {
          caller: signal,
        });
      const delivery = await receiveDelivery({
        headers,
        body,
        secret: settings.webhookSecret,
        replayGuard,
      });
      return eventsOfDelivery(delivery, (event, index) =>
        supportEventsOf(event, index, { integrationId: settings.integrationId, isOurs: actions.isOurs }),
      );
    },
  };
}
