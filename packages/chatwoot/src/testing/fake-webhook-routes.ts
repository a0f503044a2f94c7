import { randomInt } from 'node:crypto';
import { type FakeHttpResponse, jsonResponse } from '@handoff/fake-server';
import { isAdministrator } from './fake-administrator.js';
import { chatwootErrors } from './fake-errors.js';
import { headOk } from './fake-head-ok.js';
import { hasParam, type Params, readInteger, readRecord, readString } from './fake-params.js';
import type { FakeAccountWebhook } from './fake-records.js';
import { webhookView } from './fake-rest-views.js';
import type { AccountRoute, RouteRequest } from './fake-route.js';
import { type FakeState, takeId } from './fake-state.js';

/** `Webhook::ALLOWED_WEBHOOK_EVENTS` (`app/models/webhook.rb`). */
const allowedWebhookEvents = new Set([
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
  'inbox_created',
  'inbox_updated',
  'conversation_typing_on',
  'conversation_typing_off',
]);

/** The attributes `wrap_parameters format: [:json]` gathers under `webhook` (`Webhook.attribute_names`). */
const wrappedAttributes = [
  'id',
  'name',
  'secret',
  'subscriptions',
  'url',
  'webhook_type',
  'account_id',
  'inbox_id',
];

const base58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `has_secure_token :secret` (`WebhookSecretable`): 24 base58 characters. */
const secureToken = (): string => Array.from({ length: 24 }, () => base58[randomInt(58)]).join('');

/**
 * A webhooks action: `WebhookPolicy` lets administrators only, and runs before anything is looked
 * up or read (401); `handle` then runs with the account's state.
 */
const administratorsOnly =
  (handle: (request: RouteRequest, state: FakeState) => FakeHttpResponse) => (request: RouteRequest) =>
    isAdministrator(request.owner) ? handle(request, request.context.state) : chatwootErrors.notAuthorized();

/** A webhooks action on `/webhooks/:id`: administrators only, then the webhook (404 if none). */
const onWebhook = (
  handle: (request: RouteRequest, state: FakeState, webhook: FakeAccountWebhook) => FakeHttpResponse,
) =>
  administratorsOnly((request, state) => {
    const webhook = state.webhooks.find((candidate) => candidate.id === readInteger(request.path.id));
    return webhook === undefined ? chatwootErrors.notFound() : handle(request, state, webhook);
  });

const missingWebhookParam = () =>
  chatwootErrors.unprocessable('param is missing or the value is empty: webhook');

type WebhookParams = { url?: string; name?: string; inboxId?: number; subscriptions?: string[] };

/**
 * `params.require(:webhook).permit(:inbox_id, :name, :url, subscriptions: [])`: the nested
 * `webhook` object, or, for a JSON body without one, the top-level attributes Rails' params wrapper
 * puts there (`config/initializers/wrap_parameters.rb`). Empty is `ParameterMissing` (422); a
 * parameter of the wrong shape is dropped by `permit`.
 */
function webhookParams(params: Params): WebhookParams | undefined {
  const raw = hasParam(params, 'webhook')
    ? readRecord(params.webhook)
    : Object.fromEntries(
        wrappedAttributes.filter((key) => hasParam(params, key)).map((key) => [key, params[key]]),
      );
  if (raw === undefined || Object.keys(raw).length === 0) return undefined;
  const scalar = (value: unknown) =>
    typeof value === 'object' && value !== null ? undefined : readString(value);
  const subscriptions = Array.isArray(raw.subscriptions)
    ? raw.subscriptions.map(scalar).filter((event) => event !== undefined)
    : undefined;
  const url = scalar(raw.url);
  const name = scalar(raw.name);
  const inboxId = readInteger(scalar(raw.inbox_id));
  return {
    ...(url === undefined ? {} : { url }),
    ...(name === undefined ? {} : { name }),
    ...(inboxId === undefined ? {} : { inboxId }),
    ...(subscriptions === undefined ? {} : { subscriptions }),
  };
}

/**
 * The model's validations in their order (`app/models/webhook.rb`): the URL unique in the account,
 * then its format (`URI::DEFAULT_PARSER.make_regexp(%w[http https])`, which is not anchored: the
 * value must contain an http(s) URI), then the subscriptions (a non-empty array of allowed events).
 */
function webhookProblems(
  webhooks: readonly FakeAccountWebhook[],
  candidate: { id?: number; url?: string | undefined; subscriptions?: string[] | undefined },
) {
  const problems: Array<{ attribute: string; message: string }> = [];
  const url = candidate.url ?? '';
  if (url !== '' && webhooks.some((webhook) => webhook.url === url && webhook.id !== candidate.id))
    problems.push({ attribute: 'url', message: 'Url has already been taken' });
  if (!/https?:[^\s]/i.test(url)) problems.push({ attribute: 'url', message: 'Url is invalid' });
  const subscriptions = candidate.subscriptions;
  if (
    subscriptions === undefined ||
    subscriptions.length === 0 ||
    subscriptions.some((event) => !allowedWebhookEvents.has(event))
  )
    problems.push({ attribute: 'subscriptions', message: 'Subscriptions Invalid events' });
  return problems;
}

/** `WebhooksController#index` (`webhooks/index.json.jbuilder`): `{payload: {webhooks: [...]}}`. */
const listWebhooks: AccountRoute = {
  method: 'GET',
  pattern: '/webhooks',
  endpoint: 'webhooks#index',
  handle: administratorsOnly((_request, state) =>
    jsonResponse(200, {
      payload: { webhooks: state.webhooks.map((webhook) => webhookView(state, webhook)) },
    }),
  ),
};

/** A webhook that passed the validations, with a new secret, added to the account. */
function addWebhook(state: FakeState, params: WebhookParams): FakeAccountWebhook {
  const webhook: FakeAccountWebhook = {
    id: takeId(state, 'webhook'),
    name: params.name ?? null,
    url: params.url ?? '',
    subscriptions: params.subscriptions ?? [],
    secret: secureToken(),
    inboxId: params.inboxId ?? null,
  };
  state.webhooks.push(webhook);
  return webhook;
}

/** An administrator adding a webhook in Chatwoot's settings: the same validations as the API. */
export function createAccountWebhook(
  state: FakeState,
  params: { url: string; subscriptions: string[]; name?: string },
): FakeAccountWebhook {
  const problems = webhookProblems(state.webhooks, params);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join(', '));
  return addWebhook(state, params);
}

/** `WebhooksController#create` (`create.json.jbuilder`, 200 `{payload: {webhook}}`), with a new secret. */
const createWebhook: AccountRoute = {
  method: 'POST',
  pattern: '/webhooks',
  endpoint: 'webhooks#create',
  handle: administratorsOnly((request, state) => {
    const params = webhookParams(request.params);
    if (params === undefined) return missingWebhookParam();
    const problems = webhookProblems(state.webhooks, params);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    const webhook = addWebhook(state, params);
    return jsonResponse(200, { payload: { webhook: webhookView(state, webhook) } });
  }),
};

/** `WebhooksController#update` (PATCH and PUT; `update.json.jbuilder`): the secret is kept. */
const updateWebhook = (method: 'PATCH' | 'PUT'): AccountRoute => ({
  method,
  pattern: '/webhooks/:id',
  endpoint: 'webhooks#update',
  handle: onWebhook((request, state, webhook) => {
    const params = webhookParams(request.params);
    if (params === undefined) return missingWebhookParam();
    const next = {
      id: webhook.id,
      url: params.url ?? webhook.url,
      subscriptions: params.subscriptions ?? webhook.subscriptions,
    };
    const problems = webhookProblems(state.webhooks, next);
    if (problems.length > 0) return chatwootErrors.invalidRecord(problems);
    webhook.url = next.url;
    webhook.subscriptions = next.subscriptions;
    if (params.name !== undefined) webhook.name = params.name;
    if (params.inboxId !== undefined) webhook.inboxId = params.inboxId;
    return jsonResponse(200, { payload: { webhook: webhookView(state, webhook) } });
  }),
});

/** `WebhooksController#destroy` (administrators): `@webhook.destroy!`, `head :ok`; deliveries stop. */
const deleteWebhook: AccountRoute = {
  method: 'DELETE',
  pattern: '/webhooks/:id',
  endpoint: 'webhooks#destroy',
  handle: onWebhook((_request, state, webhook) => {
    state.webhooks = state.webhooks.filter((candidate) => candidate !== webhook);
    return headOk();
  }),
};

export const webhookRoutes: AccountRoute[] = [
  deleteWebhook,
  listWebhooks,
  createWebhook,
  updateWebhook('PATCH'),
  updateWebhook('PUT'),
];
