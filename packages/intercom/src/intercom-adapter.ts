import { createHash } from 'node:crypto';
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
  errorFromTransportFailure,
  parseWebhookJson,
  readHeader,
  refuseReplayedDelivery,
  verifyBodySignature,
} from '@handoff/http';
import { z } from 'zod';
import { createIntercomClient } from './intercom-client.js';
import {
  adminListSchema,
  type ConversationPart,
  contactListSchema,
  contactSchema,
  conversationSchema,
  createdMessageSchema,
  type IntercomConversation,
  teamListSchema,
  teamSchema,
} from './intercom-responses.js';
import { type IntercomSettings, resolveIntercomSettings } from './intercom-settings.js';
import { createIntercomSettingsCheck } from './intercom-settings-check.js';
import { awayModeTopic, conversationTopics, notificationSchema } from './webhook/intercom-notification.js';
import { partEvents } from './webhook/intercom-part-events.js';
import { plainText } from './webhook/plain-text.js';

const provider = 'intercom';

/** The capabilities with bot turns as replies; as notes (the default), bot turns are private. */
export const intercomCapabilities: SupportCapabilities = {
  privateNotes: true,
  // Files go by URL (`attachment_urls`, 10 per part); the size limit is Intercom's upload limit. *(inference)*
  attachments: { maxBytes: 40 * 1024 * 1024, maxPerMessage: 10 },
  agentTyping: false,
  assignmentEvents: true,
  labels: false,
  availability: true,
  // A conversation the contact starts is in the inbox at once; Intercom has no held-back state.
  holdsConversationUntilTransfer: false,
  // Bot turns are posted by a teammate (the bot admin); Intercom has no bot author for the API.
  botAttribution: false,
  internalMode: false,
  catchUp: true,
  // `verifySettings` asks GET /me and GET /admins/{id}. Webhooks are set in the Developer Hub (the
  // app's Webhooks page): Intercom has no API to register one, so no `registerWebhook`.
  settingsCheck: true,
  webhookRegistration: false,
  // Intercom documents no order for its notifications: agent messages are put in order by the engine.
  orderedWebhooks: false,
  maxMessagesPerPost: 50,
  // Intercom documents no limit on a part's body; this is the contract's own (the engine's) limit.
  textLength: { max: 150_000, unit: 'utf16_units' },
  // Intercom signs no timestamp: a notification is refused by its id for a week.
  webhookFreshness: { replayWindowSeconds: 7 * 24 * 60 * 60 },
};

export const intercomSignatureHeader = 'x-hub-signature';

const replyAnswerSchema = z.object({
  conversation_parts: z
    .object({
      conversation_parts: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) })),
    })
    .nullish(),
});

function conversationIdOf(value: string, operation: string): string {
  if (!/^\d{1,20}$/.test(value)) {
    throw new SupportError({
      code: 'invalid_request',
      message: `Intercom conversation ids are numbers; got "${value}"`,
      provider,
      operation,
    });
  }
  return value;
}

/**
 * Refuses a batch with a message over the declared file limits before anything is posted:
 * Intercom takes at most 10 `attachment_urls` a part (400 otherwise, a status the document does
 * not list for replies), and a file it cannot take would be lost from its message.
 */
function refuseOverLimits(messages: readonly TranscriptMessage[]): void {
  const limits = intercomCapabilities.attachments;
  if (limits === false) return;
  for (const message of messages) {
    const files = message.attachments ?? [];
    const problem =
      files.length > limits.maxPerMessage
        ? `${files.length} files; Intercom takes at most ${limits.maxPerMessage} a message`
        : files.some((file) => (file.size ?? 0) > limits.maxBytes)
          ? `a file over ${limits.maxBytes} bytes`
          : undefined;
    if (problem !== undefined) {
      throw new SupportError({
        code: 'invalid_request',
        message: `intercom postMessages refused message ${message.id}: ${problem}`,
        provider,
        operation: 'postMessages',
      });
    }
  }
}

/**
 * What the contact's conversation starts with when the handoff carries no user message. The
 * handoff's reference makes it unique, so a retried open (recover) finds this conversation and
 * never another handoff's of the same contact.
 */
const openingLine = (handoffId: string) =>
  `Conversation handed over by the bot (ref ${createHash('sha256').update(handoffId).digest('hex').slice(0, 10)})`;

const conversationSearchSchema = z.object({ conversations: z.array(conversationSchema) });

const errorListSchema = z.object({ errors: z.array(z.object({ message: z.string().nullish() })) });

/** The messages of an `error.list` body; undefined when the body is not one. */
const errorMessages = (body: unknown): string[] | undefined => {
  const parsed = errorListSchema.safeParse(body);
  return parsed.success
    ? parsed.data.errors.flatMap((entry) => (entry.message ? [entry.message] : []))
    : undefined;
};

/**
 * The contact a 409 on create names: "A contact matching those details already exists with
 * id=<id>", or "An archived contact matching …" when it is archived (or deleted, which Intercom
 * answers the same way until it destroys the data).
 */
function clashOf(error: SupportError): { id: string; archived: boolean } | undefined {
  const messages = errorMessages(error.vendorBody) ?? [JSON.stringify(error.vendorBody ?? '')];
  for (const message of messages) {
    const id = /id=(\w+)/.exec(message)?.[1];
    if (id !== undefined) return { id, archived: /\barchived\b/i.test(message) };
  }
  return undefined;
}

const unixSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const noteDigest = (note: string) => createHash('sha256').update(note).digest('hex').slice(0, 24);

/**
 * The Intercom adapter (REST API 2.14): contacts by `external_id`, a conversation started by the
 * contact, user turns as the contact's replies, bot turns as the bot admin's notes (or replies),
 * transfer as an assignment to a team, close; `X-Hub-Signature` webhooks mapped to core events.
 */
export function createIntercomAdapter(input: IntercomSettings = {}): SupportAdapter {
  const settings = resolveIntercomSettings(input);
  const client = createIntercomClient({ ...settings, dispatcher: input.dispatcher });
  const replayGuard = input.replayGuard ?? createMemoryReplayGuard();
  const contactIds = new Map<string, string>();
  /** The contact of each conversation this instance opened or read (user turns are posted as them). */
  const conversationContacts = new Map<string, string>();
  /** Our message keys posted per conversation (a retry within the process skips them). */
  const posted = new Map<string, Set<string>>();
  const ownPartIds = new Set<string>();
  let teamsCache: { teams: Array<{ id: string; name: string; adminIds: string[] }>; at: number } | undefined;
  let adminsCache: { admins: Map<string, { name?: string; away: boolean }>; at: number } | undefined;
  /** Moves on with every `admin.away_mode_updated`: a read of the admins begun before it is not kept. */
  let adminsEpoch = 0;

  const remember = (conversationId: string, key: string, partId: string | undefined) => {
    let set = posted.get(conversationId);
    if (set === undefined) {
      set = new Set();
      posted.set(conversationId, set);
    }
    set.add(key);
    if (partId !== undefined) ownPartIds.add(partId);
    if (ownPartIds.size > 50_000) ownPartIds.delete(ownPartIds.values().next().value as string);
  };

  const getConversation = (operation: string, conversationId: string, signal?: AbortSignal) =>
    client.call({
      operation,
      method: 'GET',
      path: `/conversations/${conversationId}`,
      schema: conversationSchema,
      signal,
    });

  const teams = async (signal?: AbortSignal) => {
    if (teamsCache === undefined || Date.now() - teamsCache.at >= settings.teamsCacheTtlMs) {
      const answer = await client.call({
        operation: 'listTeams',
        method: 'GET',
        path: '/teams',
        schema: teamListSchema,
        signal,
      });
      teamsCache = {
        teams: answer.teams.map((team) => ({ id: team.id, name: team.name, adminIds: team.admin_ids ?? [] })),
        at: Date.now(),
      };
    }
    return teamsCache.teams;
  };

  /**
   * The admins and their away mode: reused for `adminsCacheTtlMs` at most, and read again after an
   * `admin.away_mode_updated` notification (so a teammate back from away is seen at once where the
   * app subscribes to the topic, and within the bound where it does not).
   */
  const admins = async (operation: string, signal?: AbortSignal) => {
    if (adminsCache === undefined || Date.now() - adminsCache.at >= settings.adminsCacheTtlMs) {
      const epoch = adminsEpoch;
      const answer = await client.call({
        operation,
        method: 'GET',
        path: '/admins',
        schema: adminListSchema,
        signal,
      });
      const read = {
        admins: new Map(
          answer.admins.map((admin) => [
            admin.id,
            { ...(admin.name == null ? {} : { name: admin.name }), away: admin.away_mode_enabled === true },
          ]),
        ),
        at: Date.now(),
      };
      // A notification that came while reading may describe a change the answer predates.
      if (epoch === adminsEpoch) adminsCache = read;
      return read.admins;
    }
    return adminsCache.admins;
  };

  /** A team by id: from the cache, else `GET /teams/{id}` (404 `team_not_found` → not_found). */
  const findTeam = async (team: string, operation: string, signal?: AbortSignal) => {
    const cached = teamsCache?.teams.find((candidate) => candidate.id === team);
    if (cached !== undefined) return cached;
    if (!/^\d{1,20}$/.test(team)) {
      throw new SupportError({
        code: 'not_found',
        message: `Intercom has no team ${team}`,
        provider,
        operation,
      });
    }
    const found = await client.call({
      operation,
      method: 'GET',
      path: `/teams/${team}`,
      schema: teamSchema,
      signal,
    });
    return { id: found.id, name: found.name, adminIds: found.admin_ids ?? [] };
  };

  const createContact = (
    user: SupportUser,
    fields: { email?: string | undefined; phone?: string | undefined },
    signal?: AbortSignal,
  ) =>
    client.call({
      operation: 'ensureUser',
      method: 'POST',
      path: '/contacts',
      json: {
        role: 'user',
        external_id: user.id,
        ...(user.name === undefined ? {} : { name: user.name }),
        ...(fields.email === undefined ? {} : { email: fields.email }),
        ...(fields.phone === undefined ? {} : { phone: fields.phone }),
      },
      schema: contactSchema,
      signal,
    });

  /**
   * Restores an archived contact (`POST /contacts/{id}/unarchive`). A deleted one cannot be
   * restored (400 "… marked for permanent deletion and is not restorable"; a merged one "… has
   * been merged …"), and Intercom refuses a new contact with its details until it destroys the
   * data: a conflict that retrying does not solve.
   */
  const unarchive = async (contactId: string, signal?: AbortSignal) => {
    try {
      await client.call({
        operation: 'ensureUser',
        method: 'POST',
        path: `/contacts/${contactId}/unarchive`,
        schema: z.unknown(),
        signal,
      });
    } catch (error) {
      if (!(isSupportError(error) && error.status === 400)) throw error;
      const said = errorMessages(error.vendorBody)?.join('; ') ?? '';
      throw new SupportError({
        code: 'conflict',
        retryable: false,
        message: `Intercom cannot restore contact ${contactId}, which holds this user's external_id (${said || 'HTTP 400'}): a deleted contact blocks a new one with the same details until Intercom has destroyed it`,
        status: 400,
        vendorBody: error.vendorBody,
        provider,
        operation: 'ensureUser',
        cause: error,
      });
    }
  };

  /**
   * A 409 on create names the contact it clashes with (`… already exists with id=<id>`; contact
   * search lags minutes behind creation, so the answer is the reliable way to find it).
   * - An active contact: ours if it has this external id; otherwise the email or phone is someone
   *   else's, and the user is created without them, never as a second contact of the same person.
   * - An archived one ("An archived contact matching …"): the API cannot show it (404), so whose it
   *   is shows from the details that clash. With an email or phone sent, the user is created
   *   without them first: an archived contact of someone else with that email stays archived. A
   *   clash on the external id alone is ours: unarchived and used, with its history.
   */
  const resolveConflict = async (
    user: SupportUser,
    error: SupportError,
    sentFields: boolean,
    signal?: AbortSignal,
  ): Promise<string> => {
    const withoutFields = async (): Promise<string> => {
      try {
        return (await createContact(user, {}, signal)).id;
      } catch (retryError) {
        if (!(isSupportError(retryError) && retryError.code === 'conflict')) throw retryError;
        return resolveConflict(user, retryError, false, signal);
      }
    };
    const clash = clashOf(error);
    if (clash === undefined) {
      const { data } = await client.call({
        operation: 'ensureUser',
        method: 'POST',
        path: '/contacts/search',
        json: { query: { field: 'external_id', operator: '=', value: user.id } },
        schema: contactListSchema,
        signal,
      });
      const found = data.find((contact) => contact.external_id === user.id);
      if (found !== undefined) return found.id;
      if (sentFields) return withoutFields();
      throw error;
    }
    if (clash.archived) {
      if (sentFields) return withoutFields();
      await unarchive(clash.id, signal);
      return clash.id;
    }
    const contact = await client.call({
      operation: 'ensureUser',
      method: 'GET',
      path: `/contacts/${clash.id}`,
      schema: contactSchema,
      signal,
    });
    if (contact.external_id === user.id) return contact.id;
    if (sentFields) return withoutFields();
    throw error;
  };

  /** The contact a conversation belongs to: known from opening it, else read from Intercom. */
  const contactOf = async (conversationId: string, signal?: AbortSignal) => {
    const known = conversationContacts.get(conversationId);
    if (known !== undefined) return known;
    const conversation = await getConversation('postMessages', conversationId, signal);
    const contact = conversation.contacts?.contacts[0]?.id;
    if (contact === undefined) {
      throw new SupportError({
        code: 'invalid_response',
        message: `Intercom conversation ${conversationId} has no contact`,
        provider,
        operation: 'postMessages',
      });
    }
    conversationContacts.set(conversationId, contact);
    return contact;
  };

  /** Parts already in the conversation, by author and text and time (replies carry no idempotency key). */
  const partKeys = (conversation: IntercomConversation): Set<string> => {
    const keys = new Set<string>();
    for (const part of conversation.conversation_parts?.conversation_parts ?? []) {
      keys.add(
        `${part.author?.type ?? ''}:${part.part_type}:${part.created_at ?? ''}:${plainText(part.body)}`,
      );
    }
    return keys;
  };
  const keyOfMessage = (message: TranscriptMessage, partType: string) =>
    `${message.author === 'user' ? 'user' : 'admin'}:${partType}:${unixSeconds(message.createdAt)}:${message.text.trim()}`;

  const partTypeOf = (message: TranscriptMessage) =>
    message.author === 'user' ? 'comment' : message.author === 'note' ? 'note' : settings.botTurns;

  const reply = async (
    operation: string,
    conversationId: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<string | undefined> => {
    const answer = await client.call({
      operation,
      method: 'POST',
      path: `/conversations/${conversationId}/reply`,
      json: body,
      schema: replyAnswerSchema,
      signal,
    });
    return answer.conversation_parts?.conversation_parts.at(-1)?.id;
  };

  const adminPart = (messageType: 'note' | 'comment', text: string) => ({
    message_type: messageType,
    type: 'admin',
    admin_id: settings.botAdminId,
    body: text,
  });

  const postNote = async (
    operation: string,
    conversationId: string,
    note: string,
    options: { recover?: boolean | undefined; signal?: AbortSignal | undefined },
  ) => {
    const key = `note:${noteDigest(note)}`;
    if (posted.get(conversationId)?.has(key)) return;
    if (options.recover) {
      const conversation = await getConversation(operation, conversationId, options.signal);
      const parts = conversation.conversation_parts?.conversation_parts ?? [];
      if (parts.some((part) => part.part_type === 'note' && plainText(part.body) === note.trim())) return;
    }
    remember(
      conversationId,
      key,
      await reply(operation, conversationId, adminPart('note', note), options.signal),
    );
  };

  const forgetContact = (contactId: string) => {
    for (const [userId, cached] of contactIds) if (cached === contactId) contactIds.delete(userId);
  };

  const context = {
    botAdminId: settings.botAdminId,
    isOwnPart: (partId: string) => ownPartIds.has(partId),
    adminName: (adminId: string) => adminsCache?.admins.get(adminId)?.name,
  };

  return {
    provider,
    capabilities: { ...intercomCapabilities, botTurnsPrivate: settings.botTurns === 'note' },
    verifySettings: createIntercomSettingsCheck({
      client,
      baseUrl: settings.baseUrl,
      botAdminId: settings.botAdminId,
    }),

    async ensureUser({ user, signal }) {
      const cached = contactIds.get(user.id);
      if (cached !== undefined) return { supportUserId: cached, created: false };
      // Create first: a new user costs one call; an existing one answers 409 with its id.
      let contactId: string;
      let created = true;
      try {
        contactId = (await createContact(user, { email: user.email, phone: user.phone }, signal)).id;
      } catch (error) {
        if (!(isSupportError(error) && error.code === 'conflict')) throw error;
        const sentFields = user.email !== undefined || user.phone !== undefined;
        contactId = await resolveConflict(user, error, sentFields, signal);
        created = false;
      }
      contactIds.set(user.id, contactId);
      return { supportUserId: contactId, created };
    },

    async openConversation({ supportUserId, handoffId, firstMessage, recover, signal }) {
      // The contact starts the conversation (Intercom needs a body): with the first user message
      // when there is one, else a line saying where it comes from.
      const withMessage =
        firstMessage !== undefined &&
        firstMessage.author === 'user' &&
        (firstMessage.attachments?.length ?? 0) === 0;
      const opening = withMessage ? firstMessage.text : openingLine(handoffId);
      if (recover) {
        // A retry after a crash: the contact's open conversation that starts with the same words.
        // Intercom keeps no attribute the adapter could set at creation, so this is the best match.
        const { conversations } = await client.call({
          operation: 'openConversation',
          method: 'POST',
          path: '/conversations/search',
          json: {
            query: {
              operator: 'AND',
              value: [
                { field: 'contact_ids', operator: '=', value: supportUserId },
                { field: 'state', operator: '=', value: 'open' },
              ],
            },
          },
          schema: conversationSearchSchema,
          signal,
        });
        const candidates = conversations.filter(
          (candidate) => plainText(candidate.source?.body) === opening.trim(),
        );
        // Two open conversations starting with the same user words cannot be told apart: a new
        // one is opened rather than another handoff's taken over.
        const found = candidates.length === 1 ? candidates[0] : undefined;
        if (found !== undefined) {
          conversationContacts.set(found.id, supportUserId);
          if (withMessage) remember(found.id, `message:${firstMessage.id}`, undefined);
          return {
            conversationId: found.id,
            recovered: true,
            ...(withMessage ? { postedFirstMessage: true } : {}),
          };
        }
      }
      const created = await client
        .call({
          operation: 'openConversation',
          method: 'POST',
          path: '/conversations',
          json: {
            from: { type: 'user', id: supportUserId },
            body: opening,
          },
          schema: createdMessageSchema,
          signal,
        })
        .catch((error: unknown) => {
          // 404 "User Not Found": the contact was archived or deleted since it was ensured. The
          // engine looks the user up again; this instance must not answer with the same id.
          if (isSupportError(error) && error.code === 'not_found') forgetContact(supportUserId);
          throw error;
        });
      const conversationId = created.conversation_id;
      conversationContacts.set(conversationId, supportUserId);
      if (withMessage) remember(conversationId, `message:${firstMessage.id}`, undefined);
      return { conversationId, recovered: false, ...(withMessage ? { postedFirstMessage: true } : {}) };
    },

    async postMessages({ conversationId, messages, recover, signal }) {
      conversationIdOf(conversationId, 'postMessages');
      refuseOverLimits(messages);
      const already = posted.get(conversationId);
      const existing = recover
        ? partKeys(await getConversation('postMessages', conversationId, signal))
        : undefined;
      const result: Array<{ id: string; supportMessageId: string }> = [];
      for (const message of messages) {
        const key = `message:${message.id}`;
        const partType = partTypeOf(message);
        if (already?.has(key) || existing?.has(keyOfMessage(message, partType))) continue;
        const attachments = (message.attachments ?? []).map((attachment) => attachment.url);
        const common = {
          body: message.text === '' ? attachments.join('\n') : message.text,
          created_at: unixSeconds(message.createdAt),
          ...(attachments.length === 0 ? {} : { attachment_urls: attachments }),
        };
        const body =
          message.author === 'user'
            ? {
                message_type: 'comment',
                type: 'user',
                intercom_user_id: await contactOf(conversationId, signal),
                ...common,
              }
            : { ...adminPart(partType === 'note' ? 'note' : 'comment', message.text), ...common };
        const partId = await reply('postMessages', conversationId, body, signal);
        remember(conversationId, key, partId);
        result.push({ id: message.id, supportMessageId: partId ?? '' });
      }
      return { posted: result };
    },

    async listTeams(options = {}): Promise<Team[]> {
      return (await teams(options.signal)).map((team) => ({ id: team.id, name: team.name }));
    },

    async transfer({ conversationId, team, note, recover, signal }) {
      conversationIdOf(conversationId, 'transfer');
      const found = await findTeam(team, 'transfer', signal);
      if (note !== undefined && note !== '')
        await postNote('transfer', conversationId, note, { recover, signal });
      await client.call({
        operation: 'transfer',
        method: 'POST',
        path: `/conversations/${conversationId}/parts`,
        json: {
          message_type: 'assignment',
          type: 'team',
          admin_id: settings.botAdminId,
          assignee_id: found.id,
        },
        schema: conversationSchema,
        signal,
      });
      return { team: { id: found.id, name: found.name } };
    },

    async teamAvailability({ team, signal }) {
      const found = await findTeam(team, 'teamAvailability', signal);
      const everyone = await admins('teamAvailability', signal);
      // Away mode is all Intercom tells of presence: a team with a teammate not away can answer.
      const available = found.adminIds.some((adminId) => everyone.get(adminId)?.away === false);
      return available ? { available } : { available, reason: 'no_agents' };
    },

    async closeSession({ conversationId, note, recover, signal }) {
      conversationIdOf(conversationId, 'closeSession');
      if (note !== undefined && note !== '')
        await postNote('closeSession', conversationId, note, { recover, signal });
      await client.call({
        operation: 'closeSession',
        method: 'POST',
        path: `/conversations/${conversationId}/parts`,
        json: { message_type: 'close', type: 'admin', admin_id: settings.botAdminId },
        schema: conversationSchema,
        signal,
      });
    },

    async syncConversation({ conversationId, afterMessageId, signal }) {
      conversationIdOf(conversationId, 'syncConversation');
      const conversation = await getConversation('syncConversation', conversationId, signal);
      await admins('syncConversation', signal).catch(() => undefined);
      const all: ConversationPart[] = conversation.conversation_parts?.conversation_parts ?? [];
      const seen = afterMessageId === undefined ? -1 : all.findIndex((part) => part.id === afterMessageId);
      const parts = all.slice(seen + 1);
      const events = parts.flatMap((part) => partEvents(conversationId, part, context));
      // Only the latest close matters, and only while the conversation is still closed.
      const closes = events.filter((event) => event.type === 'conversation.closed');
      const others = events.filter((event) => event.type !== 'conversation.closed');
      const lastClose = closes.at(-1);
      return {
        events: conversation.state === 'closed' && lastClose !== undefined ? [...others, lastClose] : others,
      };
    },

    async handleWebhook({ headers, body, signal }) {
      if (signal?.aborted)
        throw errorFromTransportFailure({ provider, operation: 'handleWebhook' }, signal.reason, {
          caller: signal,
        });
      if (settings.clientSecret !== undefined) {
        verifyBodySignature({
          secret: settings.clientSecret,
          body,
          signature: readHeader(headers, intercomSignatureHeader),
          prefix: 'sha1=',
          algorithm: 'sha1',
          provider,
        });
      }
      const notification = notificationSchema.safeParse(parseWebhookJson(body, provider));
      if (!notification.success) return { events: [] };
      const deliveryId = notification.data.id;
      // Intercom signs no timestamp: a replayed notification is refused by its id.
      await refuseReplayedDelivery(replayGuard, { provider, deliveryId, ttlMs: 7 * 24 * 60 * 60 * 1000 });
      if (notification.data.topic === awayModeTopic) {
        // A teammate went away or came back. Notifications come in no particular order, so the
        // payload is not applied: the next availability check reads the admins again.
        adminsEpoch += 1;
        adminsCache = undefined;
        return { deliveryId, events: [] };
      }
      if (!conversationTopics.has(notification.data.topic)) return { deliveryId, events: [] };
      const conversation = conversationSchema.safeParse(notification.data.data?.item);
      if (!conversation.success) return { deliveryId, events: [] };
      const parts = conversation.data.conversation_parts?.conversation_parts ?? [];
      if (parts.some((part) => part.assigned_to?.type === 'admin')) {
        await admins('handleWebhook').catch(() => undefined);
      }
      const events = parts.flatMap((part) => partEvents(conversation.data.id, part, context));
      return { deliveryId, events };
    },
  };
}
