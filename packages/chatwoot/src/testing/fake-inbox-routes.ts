import { randomBytes } from 'node:crypto';
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { chatwootErrors } from './fake-errors.js';
import { nextId } from './fake-installation.js';
import { hasParam, type Params, readBoolean, readInteger, readRecord, readString } from './fake-params.js';
import { inboxView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { secureToken } from './fake-secure-token.js';
import { hasInbox } from './fake-state.js';

/** `Limits::URL_LENGTH_LIMIT`: `Channel::Api` validates `webhook_url` to this length. */
const urlLengthLimit = 2048;

/** `InboxPolicy#create?` / `#update?`: administrators only. */
const refuseUnlessAdministrator = ({ owner }: RouteRequest): FakeHttpResponse | undefined =>
  owner.kind === 'user' && owner.user.role === 'administrator' ? undefined : chatwootErrors.notAuthorized();

/**
 * The inbox attributes the fake keeps of `permitted_params` (`inbox_attributes`), with `"null"`
 * read as null (`permitted_params` does that for every key).
 */
function inboxChanges(params: Params) {
  const read = (name: string) => (params[name] === 'null' ? null : params[name]);
  return {
    name: hasParam(params, 'name') ? (readString(read('name')) ?? '') : undefined,
    enableAutoAssignment: readBoolean(read('enable_auto_assignment')),
    lockToSingleConversation: readBoolean(read('lock_to_single_conversation')),
    workingHoursEnabled: readBoolean(read('working_hours_enabled')),
    timezone: readString(read('timezone')),
  };
}

/** `Channel::Api::EDITABLE_ATTRS`: `webhook_url`, `hmac_mandatory`, `additional_attributes`. */
function channelWebhookUrl(params: Params): { given: boolean; url: string | undefined } {
  const channel = readRecord(params.channel);
  if (channel === undefined || !hasParam(channel, 'webhook_url')) return { given: false, url: undefined };
  const url = readString(channel.webhook_url);
  return { given: true, url: url === '' ? undefined : url };
}

/**
 * `POST /inboxes` (`InboxesController#create`, administrators): the channel (`channel.type`
 * `api`, the only type the fake has), then the inbox named `name`; new inboxes have no members,
 * working hours Mon-Fri 09:00-17:00 off, auto-assignment on. A type Chatwoot does not know builds no
 * channel, so the inbox fails `belongs_to :channel` (422 "Channel must exist"). The fake holds one
 * inbox per account: a second one is a fake limitation, answered 500 with the reason.
 */
const createInbox: AccountRoute = {
  method: 'POST',
  pattern: '/inboxes',
  endpoint: 'inboxes#create',
  handle(request) {
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const { context, params } = request;
    const { state, installation, now } = context;
    const channel = readRecord(params.channel);
    const type = readString(channel?.type);
    const changes = inboxChanges(params);
    const problems: Array<{ attribute: string; message: string }> = [];
    const known = ['web_widget', 'api', 'email', 'line', 'telegram', 'whatsapp', 'sms'];
    if (type === undefined || !known.includes(type))
      problems.push({ attribute: 'channel', message: 'Channel must exist' });
    if ((changes.name ?? '').trim() === '')
      problems.push({ attribute: 'name', message: "Name can't be blank" });
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    if (type !== 'api') throw new Error(`the fake has API inboxes only, not ${type}`);
    if (hasInbox(state)) throw new Error('the fake holds one inbox per account; this account has one');
    const { url } = channelWebhookUrl(params);
    if ((url ?? '').length > urlLengthLimit)
      return chatwootErrors.invalidRecord([
        {
          attribute: 'webhook_url',
          message: `Webhook url is too long (maximum is ${urlLengthLimit} characters)`,
        },
      ]);
    const inbox = state.inbox;
    inbox.id = nextId(installation, 'inbox');
    inbox.channelId = nextId(installation, 'channel');
    inbox.name = changes.name ?? '';
    inbox.secret = secureToken();
    inbox.hmacToken = secureToken();
    inbox.identifier = secureToken();
    inbox.webhookUrl = url;
    inbox.enableAutoAssignment = changes.enableAutoAssignment ?? true;
    inbox.lockToSingleConversation = changes.lockToSingleConversation ?? false;
    inbox.workingHoursEnabled = changes.workingHoursEnabled ?? false;
    inbox.timezone = changes.timezone ?? 'UTC';
    inbox.agentBotId = null;
    inbox.memberIds = [];
    inbox.createdAt = now();
    inbox.updatedAt = now();
    state.roundRobin = [];
    return jsonResponse(200, inboxView(state, inbox, request.owner));
  },
};

/** `GET /inboxes` (`InboxesController#index`): administrators see every inbox, agents those they belong to. */
const listInboxes: AccountRoute = {
  method: 'GET',
  pattern: '/inboxes',
  endpoint: 'inboxes#index',
  handle({ context, owner }) {
    const { inbox } = context.state;
    const visible =
      hasInbox(context.state) &&
      owner.kind === 'user' &&
      (owner.user.role === 'administrator' || inbox.memberIds.includes(owner.user.id));
    return jsonResponse(200, { payload: visible ? [inboxView(context.state, inbox, owner)] : [] });
  },
};

/**
 * `PATCH /inboxes/{id}` (`InboxesController#update`): the inbox (404), `show?` then `update?`
 * (administrators), the inbox attributes, then the channel's (`channel.webhook_url`).
 */
const updateInbox = (method: 'PATCH' | 'PUT'): AccountRoute => ({
  method,
  pattern: '/inboxes/:id',
  endpoint: 'inboxes#update',
  handle(request) {
    const { context, owner, path, params } = request;
    const inbox = context.state.inbox;
    if (readInteger(path.id) !== inbox.id) return chatwootErrors.notFound();
    if (owner.kind !== 'user') return chatwootErrors.notAuthorized();
    const refused = refuseUnlessAdministrator(request);
    if (refused !== undefined) return refused;
    const changes = inboxChanges(params);
    if (changes.name !== undefined && changes.name.trim() === '')
      return chatwootErrors.invalidRecord([{ attribute: 'name', message: "Name can't be blank" }]);
    const webhook = channelWebhookUrl(params);
    if ((webhook.url ?? '').length > urlLengthLimit)
      return chatwootErrors.invalidRecord([
        {
          attribute: 'webhook_url',
          message: `Webhook url is too long (maximum is ${urlLengthLimit} characters)`,
        },
      ]);
    if (changes.name !== undefined) inbox.name = changes.name;
    if (changes.enableAutoAssignment !== undefined) inbox.enableAutoAssignment = changes.enableAutoAssignment;
    if (changes.lockToSingleConversation !== undefined)
      inbox.lockToSingleConversation = changes.lockToSingleConversation;
    if (changes.workingHoursEnabled !== undefined) inbox.workingHoursEnabled = changes.workingHoursEnabled;
    if (changes.timezone !== undefined) inbox.timezone = changes.timezone;
    if (webhook.given) inbox.webhookUrl = webhook.url;
    inbox.updatedAt = context.now();
    return jsonResponse(200, inboxView(context.state, inbox, owner));
  },
});

/**
 * `InboxesController#show`: administrators and the inbox's members (`InboxPolicy#show?`); bots are
 * refused before (`BOT_ACCESSIBLE_ENDPOINTS`).
 */
const showInbox: AccountRoute = {
  method: 'GET',
  pattern: '/inboxes/:id',
  endpoint: 'inboxes#show',
  handle({ context, owner, path }) {
    const inbox = context.state.inbox;
    if (readInteger(path.id) !== inbox.id) return chatwootErrors.notFound();
    if (owner.kind !== 'user') return chatwootErrors.notAuthorized();
    if (owner.user.role !== 'administrator' && !inbox.memberIds.includes(owner.user.id)) {
      return chatwootErrors.notAuthorized();
    }
    return jsonResponse(200, inboxView(context.state, inbox, owner));
  },
};

/** `InboxesController#reset_secret` (4.13.0, administrators): a new webhook secret, answered with the inbox. */
const resetInboxSecret: AccountRoute = {
  method: 'POST',
  pattern: '/inboxes/:id/reset_secret',
  endpoint: 'inboxes#reset_secret',
  available: (behaviours) => behaviours.inboxWebhooksSigned,
  handle({ context, owner, path }) {
    const inbox = context.state.inbox;
    if (readInteger(path.id) !== inbox.id) return chatwootErrors.notFound();
    if (owner.kind !== 'user' || owner.user.role !== 'administrator') return chatwootErrors.notAuthorized();
    inbox.secret = randomBytes(18).toString('base64url');
    return jsonResponse(200, inboxView(context.state, inbox, owner));
  },
};

export const inboxRoutes: AccountRoute[] = [
  listInboxes,
  createInbox,
  showInbox,
  updateInbox('PATCH'),
  updateInbox('PUT'),
  resetInboxSecret,
];
