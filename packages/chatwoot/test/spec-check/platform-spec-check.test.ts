import {
  compileOpenApiDocument,
  createOpenApiRequestValidator,
  createOpenApiResponseValidator,
  type SpecException,
  unexplainedProblems,
  unusedExceptions,
} from '@handoff/conformance';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { type RecordedRequest, startFakeChatwoot } from '../../src/testing/index.js';
import { loadOpenApiDocument } from './openapi-document.js';
import {
  chatwootResponseExceptions,
  chatwootSpecExceptions,
  platformResponseExceptions,
  platformSpecExceptions,
} from './spec-exceptions.js';

const platformDocument = loadOpenApiDocument(process.env, 'platform');
const applicationDocument = loadOpenApiDocument(process.env, 'application');
if ('missing' in platformDocument)
  console.info(`Chatwoot platform spec check skipped: ${platformDocument.missing}`);

let provisioningRequests: Promise<RecordedRequest[]> | undefined;
/** The requests of one provisioning run (run once). */
const provisioningRun = () => {
  provisioningRequests ??= requestsOfProvisioning();
  return provisioningRequests;
};

/**
 * Every Platform API route, as a provisioner and its clean-up would call them, then the
 * Application API calls that set up the new account (inbox, webhook, agent bot) and a hand-off into
 * it, made with the new administrator's token; plus the refusals a second platform app gets.
 */
async function requestsOfProvisioning(): Promise<RecordedRequest[]> {
  const fake = await startFakeChatwoot();
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await request(`${fake.baseUrl}${path}`, {
      method: method as 'GET',
      headers: {
        accept: 'application/json',
        api_access_token: token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
  };
  const platform = (method: string, path: string, body?: unknown, token = fake.tokens.platform) =>
    call(method, `/platform/api/v1${path}`, token, body);
  try {
    const account = await platform('POST', '/accounts', {
      name: 'Globex',
      locale: 'en',
      custom_attributes: {},
    });
    const accountId = account?.id as number;
    await platform('POST', '/accounts', { name: '' });
    await platform('GET', `/accounts/${accountId}`);
    await platform('PATCH', `/accounts/${accountId}`, {
      name: 'Globex Inc',
      support_email: 'help@globex.test',
    });
    await platform('PATCH', `/accounts/${accountId}`, { support_email: 'not an email' });
    await platform('GET', '/accounts');
    await platform('GET', `/accounts/${accountId}`, undefined, fake.tokens.otherPlatform);
    await platform('GET', '/accounts/999');
    const user = await platform('POST', '/users', {
      name: 'Olga',
      display_name: 'Olga (Globex)',
      email: 'owner@globex.test',
      password: 'Secret-123!',
      custom_attributes: { org: 'globex' },
    });
    const userId = user?.id as number;
    await platform('POST', '/users', { name: 'Olga', email: 'owner@globex.test' }, fake.tokens.otherPlatform);
    await platform('POST', '/users', { name: 'Weak', email: 'weak@globex.test', password: 'weak' });
    await platform('GET', `/users/${userId}`);
    await platform('PATCH', `/users/${userId}`, { custom_attributes: { plan: 'pro' } });
    await platform('GET', '/users/1');
    await platform('GET', '/users/999');
    await platform('POST', `/accounts/${accountId}/account_users`, {
      user_id: userId,
      role: 'administrator',
    });
    await platform('POST', `/accounts/${accountId}/account_users`, { user_id: 999, role: 'agent' });
    await platform('GET', `/accounts/${accountId}/account_users`);
    await platform('GET', `/users/${userId}`);
    await platform('GET', `/users/${userId}/login`);
    const token = (await platform('POST', `/users/${userId}/token`))?.access_token as string;
    const bot = await platform('POST', '/agent_bots', {
      name: 'Handoff',
      outgoing_url: 'https://runtime.test/bot',
    });
    const botId = bot?.id as number;
    await platform('GET', '/agent_bots');
    await platform('GET', `/agent_bots/${botId}`);
    await platform('PATCH', `/agent_bots/${botId}`, { description: 'Hands chats over' });
    await platform('GET', `/agent_bots/${botId}`, undefined, fake.tokens.otherPlatform);

    const base = `/api/v1/accounts/${accountId}`;
    const inbox = await call('POST', `${base}/inboxes`, token, {
      name: 'Support bot',
      channel: { type: 'api', webhook_url: 'https://runtime.test/hooks/1' },
    });
    const inboxId = inbox?.id as number;
    await call('PATCH', `${base}/inboxes/${inboxId}`, token, {
      channel: { webhook_url: 'https://runtime.test/hooks/2' },
    });
    await call('GET', `${base}/inboxes/${inboxId}`, token);
    const webhook = await call('POST', `${base}/webhooks`, token, {
      url: 'https://runtime.test/account-hooks',
      subscriptions: ['conversation_status_changed', 'message_created'],
    });
    await call('GET', `${base}/webhooks`, token);
    await call('GET', `${base}/inboxes/${inboxId}/agent_bot`, token);
    await call('POST', `${base}/inboxes/${inboxId}/set_agent_bot`, token, { agent_bot: botId });
    await call('POST', `${base}/agents`, token, {
      email: 'invited@globex.test',
      name: 'Nina',
      role: 'agent',
    });

    // Teams in the new account: its administrator creates one and adds members; an agent may not.
    const agentUser = await platform('POST', '/users', {
      name: 'Pia',
      email: 'pia@globex.test',
      password: 'Secret-123!',
    });
    await platform('POST', `/accounts/${accountId}/account_users`, { user_id: agentUser?.id, role: 'agent' });
    const agentToken = agentUser?.access_token as string;
    const team = await call('POST', `${base}/teams`, token, { name: 'Orders', description: 'Deliveries' });
    const teamId = team?.id as number;
    await call('POST', `${base}/teams`, token, { name: 'orders' });
    await call('POST', `${base}/teams`, token, { name: '' });
    await call('POST', `${base}/teams`, agentToken, { name: 'Refunds' });
    await call('GET', `${base}/teams`, token);
    await call('GET', `${base}/teams/${teamId}`, agentToken);
    await call('PATCH', `${base}/teams/${teamId}`, token, { allow_auto_assign: false });
    const members = `${base}/teams/${teamId}/team_members`;
    await call('POST', members, token, { user_ids: [userId] });
    await call('POST', members, token, { user_ids: [1] });
    await call('POST', members, agentToken, { user_ids: [agentUser?.id] });
    await call('PATCH', members, token, { user_ids: [userId, agentUser?.id] });
    await call('GET', members, agentToken);
    await call('DELETE', members, token, { user_ids: [agentUser?.id] });
    await call('DELETE', `${base}/teams/${teamId}`, token);

    const webhookId = (webhook?.payload as { webhook: { id: number } } | undefined)?.webhook.id;
    await call('DELETE', `${base}/webhooks/${webhookId}`, token);
    await call('POST', `${base}/inboxes/${inboxId}/set_agent_bot`, token, { agent_bot: null });
    const second = await platform('POST', '/users', {
      name: 'Agent',
      email: 'agent@globex.test',
      password: 'Secret-123!',
    });
    await platform('POST', `/accounts/${accountId}/account_users`, { user_id: second?.id, role: 'agent' });
    await platform('DELETE', `/accounts/${accountId}/account_users`, { user_id: second?.id });
    await platform('DELETE', `/users/${second?.id as number}`);
    await platform('DELETE', `/agent_bots/${botId}`);
    await platform('DELETE', `/accounts/${accountId}`);
    await fake.idle();
    return fake.requests;
  } finally {
    await fake.close();
  }
}

const isPlatform = (request: RecordedRequest) => request.path.startsWith('/platform/');

describe.skipIf('missing' in platformDocument || 'missing' in applicationDocument)(
  "provisioning requests against Chatwoot's official Platform and Application documents",
  () => {
    const compiledPlatform =
      'document' in platformDocument ? compileOpenApiDocument(platformDocument.document) : undefined;
    const compiledApplication =
      'document' in applicationDocument ? compileOpenApiDocument(applicationDocument.document) : undefined;
    const credentialSchemes = { bot: 'agentBotApiKey', platform: 'platformAppApiKey' };
    const platformRequests =
      compiledPlatform && createOpenApiRequestValidator(compiledPlatform, { credentialSchemes });
    const applicationRequests =
      compiledApplication && createOpenApiRequestValidator(compiledApplication, { credentialSchemes });
    const platformAnswers = compiledPlatform && createOpenApiResponseValidator(compiledPlatform);
    const applicationAnswers = compiledApplication && createOpenApiResponseValidator(compiledApplication);

    const requestProblems = (requests: readonly RecordedRequest[]) =>
      requests.flatMap(
        (recorded) => (isPlatform(recorded) ? platformRequests : applicationRequests)?.check(recorded) ?? [],
      );
    const answerProblems = (requests: readonly RecordedRequest[]) =>
      requests.flatMap((recorded) =>
        recorded.response === undefined
          ? []
          : ((isPlatform(recorded) ? platformAnswers : applicationAnswers)?.check(
              recorded,
              recorded.response,
            ) ?? []),
      );
    const requestExceptions: readonly SpecException[] = [
      ...platformSpecExceptions,
      ...chatwootSpecExceptions,
    ];
    const answerExceptions: readonly SpecException[] = [
      ...platformResponseExceptions,
      ...chatwootResponseExceptions,
    ];

    it('every request of a provisioning run matches the documents, but for documented exceptions', async () => {
      const requests = await provisioningRun();
      expect(requests.filter(isPlatform).length).toBeGreaterThan(30);
      expect(unexplainedProblems(requestProblems(requests), requestExceptions)).toEqual([]);
    }, 60_000);

    it('every answer of a provisioning run matches the documents, but for documented exceptions', async () => {
      const requests = await provisioningRun();
      expect(unexplainedProblems(answerProblems(requests), answerExceptions)).toEqual([]);
    }, 60_000);

    it('needs every documented platform exception (none is stale)', async () => {
      const requests = await provisioningRun();
      expect(unusedExceptions(requestProblems(requests), platformSpecExceptions)).toEqual([]);
      expect(unusedExceptions(answerProblems(requests), platformResponseExceptions)).toEqual([]);
    }, 60_000);
  },
);
