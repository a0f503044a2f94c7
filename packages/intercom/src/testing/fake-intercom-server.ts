import type { WebhookRequest } from '@handoff/core';
import { type FakeFaultControls, type RecordedRequest, startFakeServer } from '@handoff/fake-server';
import { adminRoutes, setAwayMode } from './fake-admin-routes.js';
import { serveDownload } from './fake-attachments.js';
import { type AuthOutcome, authenticate } from './fake-auth.js';
import { archiveContact, deleteContact, unarchiveContact } from './fake-contact-lifecycle.js';
import { contactRoutes } from './fake-contact-routes.js';
import type { FakeContext } from './fake-context.js';
import { conversationRoutes } from './fake-conversation-routes.js';
import { intercomErrorResponses } from './fake-error-responses.js';
import { intercomErrors } from './fake-errors.js';
import { manageRoutes } from './fake-manage-routes.js';
import { intercomRateLimit } from './fake-rate-limit.js';
import type { FakeAdmin, FakeContact, FakeConversation, FakeFileInfo, FakeTeam } from './fake-records.js';
import { replyRoutes } from './fake-reply-routes.js';
import { intercomRouteRequest } from './fake-route.js';
import { seedAdminIds } from './fake-seed.js';
import type { FakeIntercomSettings } from './fake-settings.js';
import { createFakeState, findAdmin, findContact, findConversation } from './fake-state.js';
import { createWebhookDelivery } from './fake-webhook-delivery.js';

export type { FakeIntercomSettings } from './fake-settings.js';

/** Requests with this header come from the harness: never faulted, throttled or recorded. */
export const harnessHeader = 'x-fake-intercom-harness';

/** A running fake Intercom workspace (REST API 2.14 and its webhooks), on 127.0.0.1. */
export interface FakeIntercom extends FakeFaultControls {
  /** `http://127.0.0.1:<port>`, standing for `https://api.intercom.io`. */
  baseUrl: string;
  /** The bearer token the API accepts. */
  accessToken: string;
  /** The app's client secret: the HMAC-SHA1 key of `X-Hub-Signature`. */
  clientSecret: string;
  /** The admin the token belongs to (`GET /me`), "Handoff bot": the adapter posts as it. */
  botAdminId: string;
  /** The human agent the harness plays. */
  humanAdmin: { id: string; name: 'Anna' };
  /** Every request not made by the harness, in order, with its headers, body, timing and answer. */
  requests: Array<RecordedRequest<AuthOutcome>>;
  /** Receives every webhook notification (headers as a Node server would see them, and the raw body). */
  subscribe(listener: (request: WebhookRequest) => void | Promise<void>): () => void;
  /** Copies of every conversation. */
  conversations(): FakeConversation[];
  /** Where notifications go from now on (the app's webhook URL); undefined: only to listeners. */
  setWebhookUrl(url: string | undefined): void;
  /**
   * Tells the fake what is behind an attachment URL, as Intercom learns when it downloads it:
   * parts with that URL show this name, type and size. Otherwise they are guessed from the URL.
   */
  registerFile(url: string, file: FakeFileInfo): void;
  /** Copies of the state, for tests and the harness. */
  contacts(): FakeContact[];
  conversation(id: string): FakeConversation | undefined;
  teams(): FakeTeam[];
  admins(): FakeAdmin[];
  /**
   * Sets an admin's away mode, as the admin would in Intercom's UI; a change sends
   * `admin.away_mode_updated`.
   */
  setAdminAway(adminId: string, away: boolean): void;
  /**
   * Archives a contact, as a teammate does in Intercom's UI (Contacts → More → Archive users): the
   * API no longer shows it, and a create with its details answers the archived 409.
   */
  archiveContact(contactId: string): void;
  /** Unarchives a contact, as when the person returns to the Messenger. */
  unarchiveContact(contactId: string): void;
  /** Deletes a contact and its conversations, as "Permanently delete" in Intercom's settings does. */
  deleteContact(contactId: string): void;
  /** Resolves once every webhook emitted so far was delivered to the listeners and the URL. */
  idle(): Promise<void>;
  /** Stops the server and drops every socket, including those a `timeout` fault holds open. */
  close(): Promise<void>;
}

const routes = [...contactRoutes, ...conversationRoutes, ...replyRoutes, ...manageRoutes, ...adminRoutes];

/**
 * Starts a faithful fake of Intercom's REST API 2.14 for the handoff adapter, following the
 * official 2.14 document and Intercom's documentation (each behaviour, its source and what is our
 * inference are listed in FIDELITY.md): the same paths, bodies, status codes, `error.list` bodies,
 * quirks and signed webhook notifications, delivered in no particular order. Seeded with the
 * admins "Handoff bot" (the token's admin), Anna and Omar (away), and the teams Support (Anna),
 * Billing (Anna) and Orders (Omar).
 */
export async function startFakeIntercom(settings: FakeIntercomSettings = {}): Promise<FakeIntercom> {
  const now = settings.now ?? (() => new Date());
  const state = createFakeState({
    accessToken: settings.accessToken ?? 'intercom-test-token',
    clientSecret: settings.clientSecret ?? 'intercom-client-secret',
    webhookUrl: settings.webhookUrl,
    searchLagMs: settings.searchLagMs ?? 0,
  });
  const webhooks = createWebhookDelivery({
    secret: () => state.clientSecret,
    url: () => state.webhookUrl,
    order: settings.webhookOrder ?? 'unordered',
    ...(settings.webhookSeed === undefined ? {} : { seed: settings.webhookSeed }),
    ...(settings.webhookJitterMs === undefined ? {} : { jitterMs: settings.webhookJitterMs }),
  });
  const server = await startFakeServer({
    context: (baseUrl): FakeContext => ({ state, webhooks, now, baseUrl }),
    routes,
    harnessHeader,
    authenticate: (headers, context) => authenticate(headers, context.state.accessToken),
    intercept(request, context) {
      const download = serveDownload(context, request.method, request.url.pathname);
      if (download !== undefined) return download;
      // Every API call needs the token, known route or not (facts §8: "Access Token Invalid").
      return request.authentication.outcome === 'user' ? undefined : intercomErrors.unauthorized();
    },
    routeRequest: intercomRouteRequest,
    responses: intercomErrorResponses,
    rateLimit: intercomRateLimit(settings.rateLimitPerMinute ?? false),
    now,
  });
  const context = server.context;

  const contactOrThrow = (contactId: string) => {
    const contact = findContact(state, contactId);
    if (contact === undefined) throw new Error(`the fake has no contact ${contactId}`);
    return contact;
  };

  return {
    baseUrl: server.baseUrl,
    accessToken: state.accessToken,
    clientSecret: state.clientSecret,
    botAdminId: seedAdminIds.bot,
    humanAdmin: { id: seedAdminIds.anna, name: 'Anna' },
    requests: server.requests,
    ...server.faults,
    subscribe: (listener) => webhooks.subscribe(listener),
    conversations: () => structuredClone(state.conversations),
    setWebhookUrl(url) {
      state.webhookUrl = url;
    },
    registerFile(url, file) {
      state.files.set(url, { ...file });
    },
    contacts: () => structuredClone(state.contacts),
    conversation(id) {
      const conversation = findConversation(state, id);
      return conversation === undefined ? undefined : structuredClone(conversation);
    },
    teams: () => structuredClone(state.teams),
    admins: () => structuredClone(state.admins),
    setAdminAway(adminId, away) {
      const admin = findAdmin(state, adminId);
      if (admin === undefined) throw new Error(`the fake has no admin ${adminId}`);
      setAwayMode(context, admin, { enabled: away });
    },
    archiveContact: (contactId) => archiveContact(context, contactOrThrow(contactId)),
    unarchiveContact: (contactId) => unarchiveContact(context, contactOrThrow(contactId)),
    deleteContact: (contactId) => deleteContact(context, contactOrThrow(contactId)),
    idle: () => webhooks.idle(),
    async close() {
      webhooks.stop();
      await server.close();
    },
  };
}
