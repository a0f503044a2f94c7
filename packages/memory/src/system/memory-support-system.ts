import { randomBytes } from 'node:crypto';
import {
  type Attachment,
  attachmentSchema,
  type HarnessFault,
  type InjectFaultOptions,
  type WebhookRequest,
} from '@handoff/core';
import { z } from 'zod';
import { createChangeJournal, type MemoryCounters, type MemorySystemPersistence } from './change-journal.js';
import { createFaultInjector } from './fault-injector.js';
import type {
  MemoryAgent,
  MemoryAuthor,
  MemoryConversation,
  MemoryConversationStatus,
  MemoryMessage,
  MemoryTeam,
  MemoryUser,
} from './records.js';
import { createWebhookEmitter, type WebhookListener } from './webhook-emitter.js';

export interface MemorySupportSystemSettings {
  /** Token the API accepts. Default: a new random one (see `credentials`). */
  apiToken?: string;
  /** Key of the webhook signatures. Default: a new random one (see `credentials`). */
  webhookSecret?: string;
  teams?: MemoryTeam[];
  agents?: MemoryAgent[];
  /** Added to every API call, to behave like a remote system. Default 0. */
  latencyMs?: number;
  /** Users and conversations to start from (from `exportState`, or the persistence), to survive a restart. */
  initialState?: MemorySystemState;
  /**
   * Saves every change before the call that made it is answered and before its webhooks go out,
   * records and id counters together. Without it the state lives in process memory only.
   */
  persistence?: MemorySystemPersistence;
  now?: () => Date;
}

/** Everything the system holds besides its configuration, as plain data. */
export interface MemorySystemState {
  users: MemoryUser[];
  conversations: MemoryConversation[];
  counters: MemoryCounters;
}

/** The in-process API, shaped like an HTTP API so adapters map statuses and bodies as for any vendor. */
export type MemoryApiOperation =
  | 'users.find'
  | 'users.create'
  | 'conversations.create'
  | 'conversations.find'
  | 'conversations.get'
  | 'messages.create'
  | 'messages.list'
  | 'teams.list'
  | 'teams.availability'
  | 'conversations.transfer'
  | 'conversations.resolve';

export interface MemoryApiRequest {
  operation: MemoryApiOperation;
  token: string;
  body?: unknown;
  signal?: AbortSignal;
}

export interface MemoryApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text, as it would travel over HTTP. */
  body: string;
}

/** What a webhook says about the conversation it concerns. */
export interface MemoryConversationSummary {
  id: string;
  userId: string;
  status: MemoryConversationStatus;
  teamId?: string;
  assigneeId?: string;
  attributes: Record<string, string | number | boolean>;
  labels: string[];
}

export type MemoryWebhookPayload =
  | {
      event: 'message.created';
      conversation: MemoryConversationSummary;
      message: MemoryMessage & { agent?: { id: string; name: string } };
    }
  | {
      event: 'typing';
      conversation: MemoryConversationSummary;
      agent: { id: string; name: string };
      typing: boolean;
    }
  | {
      event: 'conversation.assigned';
      conversation: MemoryConversationSummary;
      agent: { id: string; name: string };
    }
  | { event: 'conversation.transferred'; conversation: MemoryConversationSummary; team: MemoryTeam }
  | {
      event: 'conversation.reopened';
      conversation: MemoryConversationSummary;
      agent: { id: string; name: string };
    }
  | {
      event: 'conversation.resolved';
      conversation: MemoryConversationSummary;
      resolvedBy: { type: 'agent'; agent: { id: string; name: string } } | { type: 'api' };
      /** When it was resolved (ISO). */
      resolvedAt: string;
    };

export const defaultMemoryTeams: MemoryTeam[] = [
  { id: '1', name: 'Support' },
  { id: '2', name: 'Billing' },
  { id: '3', name: 'Orders' },
  { id: '4', name: 'Accounts' },
];

export const defaultMemoryAgents: MemoryAgent[] = [
  { id: 'agent-anna', name: 'Anna', teamIds: ['1', '2'], available: true },
  { id: 'agent-omar', name: 'Omar', teamIds: ['3', '4'], available: true },
  { id: 'agent-lea', name: 'Lea', teamIds: ['1', '3'], available: true },
];

/** Largest file the system keeps. */
const maxFileBytes = 25 * 1024 * 1024;

const attributesSchema = z.record(
  z.string().max(100),
  z.union([z.string().max(10_000), z.number(), z.boolean()]),
);

const bodies = {
  'users.find': z.object({ externalId: z.string().min(1) }),
  'users.create': z.object({
    externalId: z.string().min(1).max(255),
    name: z.string().max(255).optional(),
    email: z.string().max(255).optional(),
    phone: z.string().max(32).optional(),
    attributes: attributesSchema.optional(),
  }),
  'conversations.create': z.object({
    userId: z.string().min(1),
    handoffKey: z.string().max(200).optional(),
    attributes: attributesSchema.optional(),
  }),
  'conversations.find': z.object({ handoffKey: z.string().min(1) }),
  'conversations.get': z.object({ id: z.string().min(1) }),
  'messages.create': z.object({
    conversationId: z.string().min(1),
    messages: z
      .array(
        z.object({
          author: z.enum(['user', 'bot', 'note']),
          text: z.string().max(150_000),
          attachments: z
            .array(
              attachmentSchema.extend({ size: z.number().int().nonnegative().max(maxFileBytes).optional() }),
            )
            .max(15)
            .optional(),
          sourceKey: z.string().min(1).max(300).optional(),
        }),
      )
      .min(1)
      .max(100),
  }),
  'messages.list': z.object({ conversationId: z.string().min(1), after: z.string().optional() }),
  'teams.list': z.object({}).optional(),
  'teams.availability': z.object({ teamId: z.string().min(1) }),
  'conversations.transfer': z.object({
    id: z.string().min(1),
    teamId: z.string().min(1),
    labels: z.array(z.string().min(1).max(255)).max(50).optional(),
    note: z.string().max(150_000).optional(),
    noteKey: z.string().max(300).optional(),
  }),
  'conversations.resolve': z.object({
    id: z.string().min(1),
    note: z.string().max(150_000).optional(),
    noteKey: z.string().max(300).optional(),
  }),
} satisfies Record<MemoryApiOperation, z.ZodType>;

/** What the system says with each status it can answer (code, message). */
const statusFailures: Record<number, [string, string]> = {
  400: ['invalid_request', 'the request is malformed'],
  403: ['forbidden', 'the token may not do this'],
  404: ['not_found', 'no such record'],
  409: ['conflict', 'the record was changed by someone else'],
  422: ['invalid_request', 'the request failed validation'],
  500: ['unavailable', 'internal error'],
  502: ['unavailable', 'bad gateway'],
  503: ['unavailable', 'the system is restarting'],
  504: ['unavailable', 'gateway timeout'],
};

const json = (status: number, value: unknown, headers: Record<string, string> = {}): MemoryApiResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(value),
});
const failure = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message } }, headers);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * A support system in process memory: users, conversations, messages, teams and agents, an API for
 * adapters, an agent-side API for consoles and tests, and signed webhooks like a remote system's.
 */
export function createMemorySupportSystem(settings: MemorySupportSystemSettings = {}) {
  // No default secrets: what is not given is made up at random, so it cannot be guessed.
  const apiToken = settings.apiToken ?? `memory-api-${randomBytes(16).toString('hex')}`;
  const webhookSecret = settings.webhookSecret ?? `memory-hook-${randomBytes(16).toString('hex')}`;
  const now = settings.now ?? (() => new Date());
  const teams = new Map((settings.teams ?? defaultMemoryTeams).map((team) => [team.id, { ...team }]));
  const agents = new Map(
    (settings.agents ?? defaultMemoryAgents).map((agent) => [agent.id, structuredClone(agent)]),
  );
  const users = new Map<string, MemoryUser>(
    (settings.initialState?.users ?? []).map((user) => [user.id, structuredClone(user)]),
  );
  const conversations = new Map<string, MemoryConversation>(
    (settings.initialState?.conversations ?? []).map((conversation) => [
      conversation.id,
      structuredClone(conversation),
    ]),
  );
  const changeListeners = new Set<() => void>();
  const changed = () => {
    for (const listener of changeListeners) listener();
  };
  const faults = createFaultInjector();
  const webhooks = createWebhookEmitter({ secret: webhookSecret, now });
  let nextUser = settings.initialState?.counters.user ?? 1;
  let nextConversation = settings.initialState?.counters.conversation ?? 1;
  let nextMessage = settings.initialState?.counters.message ?? 1;

  const timestamp = () => now().toISOString();
  const summary = (conversation: MemoryConversation): MemoryConversationSummary => ({
    id: conversation.id,
    userId: conversation.userId,
    status: conversation.status,
    ...(conversation.teamId === undefined ? {} : { teamId: conversation.teamId }),
    ...(conversation.assigneeId === undefined ? {} : { assigneeId: conversation.assigneeId }),
    attributes: { ...conversation.attributes },
    labels: [...(conversation.labels ?? [])],
  });
  const journal = createChangeJournal<MemoryWebhookPayload>({
    persistence: settings.persistence,
    user: (id) => users.get(id),
    conversation: (id) => conversations.get(id),
    counters: () => ({ user: nextUser, conversation: nextConversation, message: nextMessage }),
    send: (payload) => webhooks.emit(payload),
  });
  /** A webhook about `payload.conversation`, sent once the change is saved. */
  const emit = (payload: MemoryWebhookPayload) => {
    journal.touch(payload.conversation);
    changed();
    journal.hold(payload);
  };
  /** Runs an agent-side change and saves it (its webhooks go out once it is saved). */
  const agentChange = <Result>(change: () => Result): Result => {
    const result = change();
    journal.commit().catch(() => undefined);
    return result;
  };
  const agentRef = (agent: MemoryAgent) => ({ id: agent.id, name: agent.name });

  const requireConversation = (id: string): MemoryConversation => {
    const conversation = conversations.get(id);
    if (conversation === undefined) throw new Error(`no conversation ${id}`);
    return conversation;
  };
  const pickAgent = (conversation: MemoryConversation, agentId?: string): MemoryAgent => {
    if (agentId !== undefined) {
      const agent = agents.get(agentId);
      if (agent === undefined) throw new Error(`no agent ${agentId}`);
      return agent;
    }
    const assigned = conversation.assigneeId === undefined ? undefined : agents.get(conversation.assigneeId);
    if (assigned !== undefined) return assigned;
    const inTeam = [...agents.values()].find(
      (agent) => conversation.teamId !== undefined && agent.teamIds.includes(conversation.teamId),
    );
    const anyAgent = inTeam ?? [...agents.values()][0];
    if (anyAgent === undefined) throw new Error('the system has no agents');
    return anyAgent;
  };

  const addMessage = (
    conversation: MemoryConversation,
    input: {
      author: MemoryAuthor;
      text: string;
      attachments?: Attachment[];
      sourceKey?: string;
      agentId?: string;
    },
  ): { message: MemoryMessage; duplicate: boolean } => {
    if (input.sourceKey !== undefined) {
      const existing = conversation.messages.find((message) => message.sourceKey === input.sourceKey);
      if (existing !== undefined) return { message: existing, duplicate: true };
    }
    const message: MemoryMessage = {
      id: String(nextMessage++),
      author: input.author,
      private: input.author === 'note',
      text: input.text,
      createdAt: timestamp(),
      ...(input.attachments === undefined || input.attachments.length === 0
        ? {}
        : { attachments: input.attachments }),
      ...(input.sourceKey === undefined ? {} : { sourceKey: input.sourceKey }),
      ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
    };
    conversation.messages.push(message);
    conversation.updatedAt = message.createdAt;
    const agent = input.agentId === undefined ? undefined : agents.get(input.agentId);
    emit({
      event: 'message.created',
      conversation: summary(conversation),
      message: { ...message, ...(agent === undefined ? {} : { agent: agentRef(agent) }) },
    });
    return { message, duplicate: false };
  };

  const resolveConversation = (
    conversation: MemoryConversation,
    resolvedBy: Extract<MemoryWebhookPayload, { event: 'conversation.resolved' }>['resolvedBy'],
  ) => {
    if (conversation.status === 'resolved') return;
    conversation.status = 'resolved';
    conversation.updatedAt = timestamp();
    emit({
      event: 'conversation.resolved',
      conversation: summary(conversation),
      resolvedBy,
      resolvedAt: conversation.updatedAt,
    });
  };

  const handle = (operation: MemoryApiOperation, body: unknown): MemoryApiResponse => {
    const parsed = bodies[operation].safeParse(body ?? {});
    if (!parsed.success) {
      return failure(
        422,
        'invalid_request',
        parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
          .join('; '),
      );
    }
    switch (operation) {
      case 'users.find': {
        const { externalId } = bodies['users.find'].parse(body);
        return json(200, { users: [...users.values()].filter((user) => user.externalId === externalId) });
      }
      case 'users.create': {
        // Like many support systems, creating never de-duplicates: looking up first is the adapter's job.
        const input = bodies['users.create'].parse(body);
        const user: MemoryUser = {
          id: `u${nextUser++}`,
          externalId: input.externalId,
          attributes: input.attributes ?? {},
          createdAt: timestamp(),
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.email === undefined ? {} : { email: input.email }),
          ...(input.phone === undefined ? {} : { phone: input.phone }),
        };
        users.set(user.id, user);
        journal.touchUser(user.id);
        changed();
        return json(201, { user });
      }
      case 'conversations.create': {
        const input = bodies['conversations.create'].parse(body);
        if (!users.has(input.userId)) return failure(404, 'not_found', `no user ${input.userId}`);
        const created = timestamp();
        const conversation: MemoryConversation = {
          id: String(nextConversation++),
          userId: input.userId,
          status: 'pending',
          attributes: input.attributes ?? {},
          messages: [],
          createdAt: created,
          updatedAt: created,
          ...(input.handoffKey === undefined ? {} : { handoffKey: input.handoffKey }),
        };
        conversations.set(conversation.id, conversation);
        journal.touch(conversation);
        changed();
        return json(201, { conversation: summary(conversation) });
      }
      case 'conversations.find': {
        const { handoffKey } = bodies['conversations.find'].parse(body);
        const found = [...conversations.values()].filter(
          (conversation) => conversation.handoffKey === handoffKey,
        );
        return json(200, { conversations: found.map(summary) });
      }
      case 'conversations.get': {
        const { id } = bodies['conversations.get'].parse(body);
        const conversation = conversations.get(id);
        if (conversation === undefined) return failure(404, 'not_found', `no conversation ${id}`);
        return json(200, { conversation: summary(conversation) });
      }
      case 'messages.create': {
        const input = bodies['messages.create'].parse(body);
        const conversation = conversations.get(input.conversationId);
        if (conversation === undefined)
          return failure(404, 'not_found', `no conversation ${input.conversationId}`);
        const created = input.messages.map((message) => {
          if (message.text === '' && (message.attachments?.length ?? 0) === 0) {
            return undefined;
          }
          const { message: stored, duplicate } = addMessage(conversation, {
            author: message.author,
            text: message.text,
            ...(message.attachments === undefined ? {} : { attachments: message.attachments }),
            ...(message.sourceKey === undefined ? {} : { sourceKey: message.sourceKey }),
          });
          return { id: stored.id, sourceKey: stored.sourceKey ?? null, duplicate };
        });
        if (created.includes(undefined))
          return failure(422, 'invalid_request', 'a message needs text or attachments');
        return json(200, { messages: created });
      }
      case 'messages.list': {
        const input = bodies['messages.list'].parse(body);
        const conversation = conversations.get(input.conversationId);
        if (conversation === undefined)
          return failure(404, 'not_found', `no conversation ${input.conversationId}`);
        const start =
          input.after === undefined
            ? 0
            : conversation.messages.findIndex((message) => message.id === input.after) + 1;
        const messages = conversation.messages.slice(start).map((message) => {
          const agent = message.agentId === undefined ? undefined : agents.get(message.agentId);
          return { ...message, ...(agent === undefined ? {} : { agent: agentRef(agent) }) };
        });
        return json(200, { conversation: summary(conversation), messages });
      }
      case 'teams.list':
        return json(200, { teams: [...teams.values()] });
      case 'teams.availability': {
        const { teamId } = bodies['teams.availability'].parse(body);
        if (!teams.has(teamId)) return failure(404, 'not_found', `no team ${teamId}`);
        const online = [...agents.values()].filter(
          (agent) => agent.teamIds.includes(teamId) && agent.available,
        );
        return json(200, { team: { id: teamId }, available: online.length > 0, agentsOnline: online.length });
      }
      case 'conversations.transfer': {
        const input = bodies['conversations.transfer'].parse(body);
        const conversation = conversations.get(input.id);
        if (conversation === undefined) return failure(404, 'not_found', `no conversation ${input.id}`);
        const team = teams.get(input.teamId);
        if (team === undefined) return failure(422, 'invalid_request', `no team ${input.teamId}`);
        if (input.note !== undefined && input.note !== '')
          addMessage(conversation, {
            author: 'note',
            text: input.note,
            ...(input.noteKey === undefined ? {} : { sourceKey: input.noteKey }),
          });
        conversation.teamId = team.id;
        if (input.labels !== undefined) {
          conversation.labels = [...new Set([...(conversation.labels ?? []), ...input.labels])];
        }
        if (
          conversation.assigneeId !== undefined &&
          !agents.get(conversation.assigneeId)?.teamIds.includes(team.id)
        ) {
          delete conversation.assigneeId;
        }
        conversation.status = 'open';
        conversation.notifiedAt = timestamp();
        conversation.updatedAt = conversation.notifiedAt;
        emit({ event: 'conversation.transferred', conversation: summary(conversation), team: { ...team } });
        return json(200, { conversation: summary(conversation) });
      }
      case 'conversations.resolve': {
        const input = bodies['conversations.resolve'].parse(body);
        const conversation = conversations.get(input.id);
        if (conversation === undefined) return failure(404, 'not_found', `no conversation ${input.id}`);
        if (input.note !== undefined && input.note !== '')
          addMessage(conversation, {
            author: 'note',
            text: input.note,
            ...(input.noteKey === undefined ? {} : { sourceKey: input.noteKey }),
          });
        resolveConversation(conversation, { type: 'api' });
        return json(200, { conversation: summary(conversation) });
      }
    }
  };

  const applyFault = async (
    fault: HarnessFault,
    signal: AbortSignal | undefined,
  ): Promise<MemoryApiResponse> => {
    switch (fault.kind) {
      case 'unauthorized':
        return failure(401, 'unauthorized', 'invalid API token');
      case 'rate_limited':
        return failure(
          429,
          'rate_limited',
          'too many requests',
          fault.retryAfterMs === undefined
            ? {}
            : { 'retry-after': String(Math.ceil(fault.retryAfterMs / 1000)) },
        );
      case 'server_error':
        return failure(503, 'unavailable', 'the system is restarting');
      case 'http_status': {
        const [code, message] = statusFailures[fault.status] ?? ['unavailable', 'the request failed'];
        return failure(fault.status, code, message);
      }
      case 'lost_answer':
        // Handled by `request`: the call is processed, then the answer never arrives.
        break;
      case 'malformed_body':
        return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"users": [{"id": ' };
      case 'connection_reset':
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      case 'timeout':
        // The server never answers; only the caller's signal ends the wait.
        await new Promise<never>((_resolve, reject) => {
          if (signal === undefined) return;
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        throw new Error('unreachable');
    }
    return failure(500, 'unavailable', 'unknown fault');
  };

  return {
    /** The token the API accepts and the key of the webhook signatures, for the adapter's settings. */
    credentials: { apiToken, webhookSecret },
    /** The API adapters call. Answers like an HTTP server: a status, headers and a JSON body. */
    async request(request: MemoryApiRequest): Promise<MemoryApiResponse> {
      if (request.signal?.aborted) throw request.signal.reason;
      if ((settings.latencyMs ?? 0) > 0) await sleep(settings.latencyMs ?? 0, request.signal);
      const fault = faults.next();
      if (fault !== undefined && fault.kind !== 'lost_answer') return applyFault(fault, request.signal);
      const response =
        request.token === apiToken
          ? handle(request.operation, request.body)
          : failure(401, 'unauthorized', 'invalid API token');
      try {
        // Saved before it is answered: a restart never forgets what a caller was told.
        await journal.commit();
      } catch {
        return failure(503, 'unavailable', 'the system could not save the change; try again');
      }
      if (fault?.kind === 'lost_answer') {
        throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
      }
      return response;
    },

    /** Receives every webhook the system sends (asynchronously, like a remote system). */
    subscribe(listener: WebhookListener): () => void {
      return webhooks.subscribe(listener);
    },
    /** Resolves once every change so far is saved and its webhooks handed to the subscribers. */
    idle: async () => {
      await journal.settled();
      await webhooks.idle();
    },
    /** Told after every change of users, conversations or messages. */
    onChange(listener: () => void): () => void {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    /** The state to pass as `initialState` after a restart. */
    exportState(): MemorySystemState {
      return {
        users: [...users.values()].map((user) => structuredClone(user)),
        conversations: [...conversations.values()].map((conversation) => structuredClone(conversation)),
        counters: { user: nextUser, conversation: nextConversation, message: nextMessage },
      };
    },
    injectFault(fault: HarnessFault, options: InjectFaultOptions = {}) {
      faults.inject(fault, options);
    },
    clearFaults(): number {
      return faults.clear();
    },

    // The agent side: what a support console shows and does.
    teams: (): MemoryTeam[] => [...teams.values()].map((team) => ({ ...team })),
    agents: (): MemoryAgent[] => [...agents.values()].map((agent) => structuredClone(agent)),
    setAgentAvailability(agentId: string, available: boolean) {
      const agent = agents.get(agentId);
      if (agent === undefined) throw new Error(`no agent ${agentId}`);
      agent.available = available;
      changed();
    },
    /** Every user stored under this bot-side id: more than one means an adapter made a duplicate. */
    findUsers: (query: { externalId: string }): MemoryUser[] =>
      [...users.values()]
        .filter((user) => user.externalId === query.externalId)
        .map((user) => structuredClone(user)),
    getUser: (id: string): MemoryUser | undefined => {
      const user = users.get(id);
      return user === undefined ? undefined : structuredClone(user);
    },
    listConversations(
      filter: { teamId?: string; status?: MemoryConversationStatus } = {},
    ): MemoryConversation[] {
      return [...conversations.values()]
        .filter((conversation) => filter.teamId === undefined || conversation.teamId === filter.teamId)
        .filter((conversation) => filter.status === undefined || conversation.status === filter.status)
        .map((conversation) => structuredClone(conversation));
    },
    getConversation(id: string): MemoryConversation | undefined {
      const conversation = conversations.get(id);
      return conversation === undefined ? undefined : structuredClone(conversation);
    },
    reply(
      conversationId: string,
      input: { text: string; attachments?: Attachment[]; agentId?: string },
    ): MemoryMessage {
      return agentChange(() => {
        const conversation = requireConversation(conversationId);
        const agent = pickAgent(conversation, input.agentId);
        if (conversation.status === 'resolved') conversation.status = 'open';
        return addMessage(conversation, {
          author: 'agent',
          text: input.text,
          agentId: agent.id,
          ...(input.attachments === undefined ? {} : { attachments: input.attachments }),
        }).message;
      });
    },
    note(conversationId: string, input: { text: string; agentId?: string }): MemoryMessage {
      return agentChange(() => {
        const conversation = requireConversation(conversationId);
        const agent = pickAgent(conversation, input.agentId);
        return addMessage(conversation, { author: 'note', text: input.text, agentId: agent.id }).message;
      });
    },
    typing(conversationId: string, input: { typing: boolean; agentId?: string }) {
      agentChange(() => {
        const conversation = requireConversation(conversationId);
        const agent = pickAgent(conversation, input.agentId);
        emit({
          event: 'typing',
          conversation: summary(conversation),
          agent: agentRef(agent),
          typing: input.typing,
        });
      });
    },
    assign(conversationId: string, input: { agentId?: string } = {}): MemoryAgent {
      return agentChange(() => {
        const conversation = requireConversation(conversationId);
        const agent = pickAgent(conversation, input.agentId);
        conversation.assigneeId = agent.id;
        if (conversation.status === 'pending') conversation.status = 'open';
        conversation.updatedAt = timestamp();
        emit({ event: 'conversation.assigned', conversation: summary(conversation), agent: agentRef(agent) });
        return structuredClone(agent);
      });
    },
    /** An agent reopens a resolved conversation. */
    reopen(conversationId: string, input: { agentId?: string } = {}) {
      agentChange(() => {
        const conversation = requireConversation(conversationId);
        if (conversation.status !== 'resolved') return;
        const agent = pickAgent(conversation, input.agentId);
        conversation.status = 'open';
        conversation.updatedAt = timestamp();
        emit({ event: 'conversation.reopened', conversation: summary(conversation), agent: agentRef(agent) });
      });
    },
    resolve(conversationId: string, input: { agentId?: string } = {}) {
      agentChange(() => {
        const conversation = requireConversation(conversationId);
        const agent = pickAgent(conversation, input.agentId);
        resolveConversation(conversation, { type: 'agent', agent: agentRef(agent) });
      });
    },
    /** A fresh id no conversation has. */
    unknownConversationId: () => `${nextConversation + 1_000_000}`,
    /** Webhooks sent from now on are also recorded here (for harnesses). */
    record(): { take: () => WebhookRequest[]; stop: () => void } {
      const recorded: WebhookRequest[] = [];
      const stop = webhooks.subscribe((request) => {
        recorded.push(request);
      });
      return { take: () => recorded.splice(0), stop };
    },
  };
}

export type MemorySupportSystem = ReturnType<typeof createMemorySupportSystem>;
