import type { WebhookRequest } from '@handoff/core';
import {
  type FakeErrorResponses,
  type FakeFaultControls,
  type RecordedRequest,
  startFakeServer,
} from '@handoff/fake-server';
import { type AgentWorkspace, createAgentWorkspace } from './fake-agent-workspace.js';
import { type AuthOutcome, authenticate } from './fake-auth.js';
import { startChannelConversation, userWrites } from './fake-channel.js';
import type { FakeSunshineContext, FakeSunshineRequest, FakeSunshineRoute } from './fake-context.js';
import { conversationRoutes } from './fake-conversation-routes.js';
import { sunshineErrorBody, sunshineErrors, zendeskErrors } from './fake-errors.js';
import { messageRoutes } from './fake-message-routes.js';
import type {
  FakeConversation,
  FakeGroup,
  FakeSwitchboardIntegration,
  FakeTicket,
  FakeUser,
} from './fake-records.js';
import { createFakeState, type FakeStateSettings, findConversation, findTicket } from './fake-state.js';
import { switchboardRoutes } from './fake-switchboard-routes.js';
import { userRoutes } from './fake-user-routes.js';
import { createWebhookDelivery } from './fake-webhook-delivery.js';
import { zendeskRoutes } from './fake-zendesk-routes.js';

export type { FakeSunshineContext, FakeSunshineRequest, FakeSunshineRoute } from './fake-context.js';

export interface FakeSunshineOptions extends FakeStateSettings {
  /** Batch the events of one turn of the event loop into one delivery (Sunshine may). Default false. */
  batchWebhookEvents?: boolean;
  /** Requests per minute before a 429 (Sunshine Conversations documents no figure). Default: no limit. */
  rateLimitPerMinute?: number | false;
}

export interface FakeSunshine extends FakeFaultControls {
  /** The Sunshine Conversations API: `${origin}/sc` (as `https://{subdomain}.zendesk.com/sc`). */
  url: string;
  /** The Zendesk account, for the Support API: the origin. */
  zendeskUrl: string;
  appId: string;
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  /** Our custom integration's id. */
  integrationId: string;
  /** Our switchboard integration and the Agent Workspace's. */
  ourSwitchboardIntegration: FakeSwitchboardIntegration;
  agentWorkspaceIntegration: FakeSwitchboardIntegration;
  zendeskEmail: string;
  zendeskApiToken: string;
  /** Every request not made by the harness: method, path, headers, body, answer. */
  requests: Array<RecordedRequest<AuthOutcome>>;
  /** Where the fake POSTs its webhooks; undefined: only to `onWebhook` listeners. */
  setWebhookUrl(url: string | undefined): void;
  /** Every webhook the fake sends, as the receiver gets it. */
  onWebhook(listener: (request: WebhookRequest) => void): () => void;
  /** Resolves once every webhook emitted so far was delivered. */
  idle(): Promise<void>;
  users(): FakeUser[];
  conversation(id: string): FakeConversation | undefined;
  conversations(): FakeConversation[];
  ticketOf(conversationId: string): FakeTicket | undefined;
  groups(): FakeGroup[];
  /** The Agent Workspace, as the harness plays it. */
  agentWorkspace: AgentWorkspace & { name: string };
  /** A user writes in the conversation from their channel (internal mode: Zendesk owns the channel). */
  userWrites(conversationId: string, text: string): void;
  /** Makes a user and a conversation, as a Zendesk channel does when someone writes first. */
  startChannelConversation(externalId: string, name: string): FakeConversation;
  /** The live context (routes' view), for the harnesses. */
  context: FakeSunshineContext;
  close(): Promise<void>;
}

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-sunshine-harness';

const routes: FakeSunshineRoute[] = [
  ...userRoutes,
  ...conversationRoutes,
  ...messageRoutes,
  ...switchboardRoutes,
  ...zendeskRoutes,
];

/** Sunshine Conversations' error bodies (`{"errors":[{code,title}]}`) for the pipeline's answers. */
const responses: Partial<FakeErrorResponses> = {
  notFound: () => sunshineErrors.notFound('not_found', 'Resource not found'),
  badPath: () => sunshineErrors.badRequest('Invalid path'),
  invalidBody: () => sunshineErrors.badRequest('Invalid JSON body'),
  rateLimited: (headers) => sunshineErrors.tooManyRequests(headers),
  unauthorized: () => sunshineErrors.unauthorized(),
  serverError: () => sunshineErrors.serverError(),
  status: (status) => {
    const codes: Record<number, [string, string]> = {
      400: ['bad_request', 'Bad request'],
      401: ['unauthorized', 'Authorization is required'],
      403: ['forbidden', 'Forbidden'],
      404: ['not_found', 'Resource not found'],
      409: ['conflict', 'Conflict'],
      422: ['unprocessable_entity', 'Unprocessable entity'],
      423: ['locked', 'Message limit of 30000 per conversation reached.'],
    };
    const [code, title] =
      codes[status] ?? (status >= 500 ? ['internal_error', 'Internal Error'] : ['error', 'Error']);
    return sunshineErrorBody(status, code, title);
  },
};

/**
 * Starts the fake Sunshine Conversations (under `/sc/v2/apps/{appId}`) with the Zendesk Support
 * API of its account (under `/api/v2`) on a free loopback port: Basic auth for both, the app's
 * switchboard (our integration and the Agent Workspace), users, conversations, messages, the
 * switchboard actions and their webhooks with `X-API-Key`, groups and the tickets the Agent
 * Workspace makes.
 */
export async function startFakeSunshine(options: FakeSunshineOptions = {}): Promise<FakeSunshine> {
  const state = createFakeState(options);
  const webhooks = createWebhookDelivery(state, { batch: options.batchWebhookEvents === true });
  const server = await startFakeServer({
    context: (baseUrl): FakeSunshineContext => ({ baseUrl, state, webhooks }),
    routes,
    harnessHeader,
    authenticate: (headers) => authenticate(headers, state),
    intercept(request) {
      const path = request.url.pathname;
      const outcome = request.authentication.outcome;
      if (path.startsWith('/api/v2/'))
        return outcome === 'zendesk' ? undefined : zendeskErrors.unauthorized();
      if (outcome !== 'app') return sunshineErrors.unauthorized();
      const appId = /^\/sc\/v2\/apps\/([^/]+)/.exec(path)?.[1];
      if (appId !== undefined && decodeURIComponent(appId) !== state.appId)
        return sunshineErrors.notFound('app_not_found', 'App not found');
      return undefined;
    },
    routeRequest: (request, { path }, context): FakeSunshineRequest => ({
      context,
      path,
      query: request.query,
      body: request.body.kind === 'json' ? request.body.value : undefined,
    }),
    responses,
    rateLimit: {
      perMinute: options.rateLimitPerMinute ?? false,
      unconfigured: { limit: 0, windowMs: 60_000 },
    },
  });
  const context = server.context;
  const agentWorkspace = createAgentWorkspace(context);
  const conversationOrThrow = (id: string) => {
    const conversation = findConversation(state, id);
    if (conversation === undefined)
      throw new Error(`the fake Sunshine Conversations has no conversation ${id}`);
    return conversation;
  };

  return {
    url: `${server.baseUrl}/sc`,
    zendeskUrl: server.baseUrl,
    appId: state.appId,
    keyId: state.keyId,
    keySecret: state.keySecret,
    webhookSecret: state.webhookSecret,
    integrationId: state.integrationId,
    ourSwitchboardIntegration: state.switchboardIntegrations[0] as FakeSwitchboardIntegration,
    agentWorkspaceIntegration: state.switchboardIntegrations[1] as FakeSwitchboardIntegration,
    zendeskEmail: state.zendeskEmail,
    zendeskApiToken: state.zendeskApiToken,
    requests: server.requests,
    ...server.faults,
    setWebhookUrl(url) {
      state.webhookUrl = url;
    },
    onWebhook: (listener) => webhooks.sender.subscribe(listener),
    idle: () => webhooks.idle(),
    users: () => structuredClone(state.users),
    conversation(id) {
      const conversation = findConversation(state, id);
      return conversation === undefined ? undefined : structuredClone(conversation);
    },
    conversations: () => structuredClone(state.conversations),
    ticketOf(conversationId) {
      const conversation = findConversation(state, conversationId);
      const ticket = findTicket(state, conversation?.ticketId);
      return ticket === undefined ? undefined : structuredClone(ticket);
    },
    groups: () => structuredClone(state.groups),
    agentWorkspace: { ...agentWorkspace, name: state.agent.name },
    userWrites(conversationId, text) {
      userWrites(context, conversationOrThrow(conversationId), text);
    },
    startChannelConversation(externalId, name) {
      return startChannelConversation(context, externalId, name);
    },
    context,
    async close() {
      webhooks.sender.stop();
      await server.close();
    },
  };
}
