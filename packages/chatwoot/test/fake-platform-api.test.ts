import { describe, expect, it } from 'vitest';
import type { FakeChatwoot } from '../src/testing/index.js';
import { useFakeChatwootPerTest } from './fake-chatwoot-per-test.js';

let fake: FakeChatwoot;
const { call, platform } = useFakeChatwootPerTest((started) => {
  fake = started;
});

/** An account with an administrator, as a provisioner would create them. */
async function provision(name = 'Globex', email = 'owner@globex.test') {
  const account = await platform('POST', '/accounts', { name });
  const user = await platform('POST', '/users', { name: 'Olga', email, password: 'Secret-123!' });
  const accountId = (account.body as { id: number }).id;
  const userId = (user.body as { id: number }).id;
  await platform('POST', `/accounts/${accountId}/account_users`, { user_id: userId, role: 'administrator' });
  const token = (user.body as { access_token: string }).access_token;
  return { accountId, userId, token };
}

describe('Platform API: accounts', () => {
  it('creates an account with the schema defaults and the default features', async () => {
    const created = await platform('POST', '/accounts', { name: 'Globex' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 2,
      name: 'Globex',
      locale: 'en',
      domain: null,
      support_email: null,
      custom_attributes: {},
      limits: {},
      status: 'active',
    });
    expect((created.body as { features: Record<string, boolean> }).features).toMatchObject({
      agent_bots: true,
      inbox_management: true,
    });
    expect(fake.accountIds()).toEqual([1, 2]);
  });

  it('refuses a blank name (422) and an unknown locale (500, an unrescued ArgumentError)', async () => {
    expect(await platform('POST', '/accounts', { name: '' })).toEqual({
      status: 422,
      body: { message: "Name can't be blank", attributes: ['name'] },
    });
    expect((await platform('POST', '/accounts', { name: 'X', locale: 'xx' })).status).toBe(500);
    expect(fake.accountIds()).toEqual([1]);
  });

  it('lets only the app that created an account touch it', async () => {
    const { accountId } = await provision();
    expect((await platform('GET', `/accounts/${accountId}`)).status).toBe(200);
    const other = await platform('GET', `/accounts/${accountId}`, undefined, fake.tokens.otherPlatform);
    expect(other).toEqual({ status: 401, body: { error: 'Non permissible resource' } });
    expect(await platform('GET', '/accounts/1')).toEqual({
      status: 401,
      body: { error: 'Non permissible resource' },
    });
    expect(await platform('GET', '/accounts/999')).toEqual({
      status: 404,
      body: { status: 404, error: 'Not Found' },
    });
    expect(
      (
        await platform(
          'POST',
          `/accounts/${accountId}/account_users`,
          { user_id: 1 },
          fake.tokens.otherPlatform,
        )
      ).status,
    ).toBe(401);
    expect((await platform('GET', '/accounts', undefined, fake.tokens.otherPlatform)).body).toEqual([]);
  });

  it('refuses any token but a platform app’s', async () => {
    for (const token of [undefined, fake.tokens.admin, fake.tokens.bot, 'nonsense']) {
      const body = { name: 'X' };
      expect(
        await call('POST', '/platform/api/v1/accounts', token === undefined ? { body } : { token, body }),
      ).toEqual({
        status: 401,
        body: { error: 'Invalid access_token' },
      });
    }
  });

  it('deletes an account it created', async () => {
    const { accountId } = await provision();
    expect((await platform('DELETE', `/accounts/${accountId}`)).status).toBe(200);
    expect(fake.accountIds()).toEqual([1]);
    expect((await platform('GET', `/accounts/${accountId}`)).status).toBe(404);
  });
});

describe('Platform API: users and account users', () => {
  it('creates a confirmed user and sends no confirmation email (skip_confirmation!)', async () => {
    const created = await platform('POST', '/users', {
      name: 'Olga',
      email: 'Owner@Globex.test',
      password: 'Secret-123!',
      custom_attributes: { org: 'globex' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      email: 'owner@globex.test',
      confirmed: true,
      account_id: null,
      role: null,
      accounts: [],
      custom_attributes: { org: 'globex' },
      uid: 'owner@globex.test',
      provider: 'email',
    });
    expect(fake.emails()).toEqual([]);
  });

  it('answers a known email with that user, unchanged, and lets this app touch it from then on', async () => {
    const first = await platform('POST', '/users', {
      name: 'Olga',
      email: 'olga@x.test',
      password: 'Secret-123!',
    });
    const again = await platform(
      'POST',
      '/users',
      { name: 'Somebody else', email: 'OLGA@x.test', password: 'x' },
      fake.tokens.otherPlatform,
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: (first.body as { id: number }).id, name: 'Olga' });
    const id = (first.body as { id: number }).id;
    expect((await platform('GET', `/users/${id}`, undefined, fake.tokens.otherPlatform)).status).toBe(200);
    // A seeded user's email hands that user to the app too.
    const seeded = await platform('POST', '/users', { email: 'anna@acme.test' });
    expect(seeded.body).toMatchObject({ id: 7, account_id: 1, role: 'agent' });
  });

  it('validates a new user like Devise does', async () => {
    const weak = await platform('POST', '/users', { name: 'Olga', email: 'olga@x.test', password: 'secret' });
    expect(weak).toEqual({
      status: 422,
      body: {
        message:
          'Password must contain at least 1 uppercase character, Password must contain at least 1 number character, Password must contain at least 1 special character',
        attributes: ['password'],
      },
    });
    const blank = await platform('POST', '/users', { email: 'not-an-email' });
    expect((blank.body as { attributes: string[] }).attributes).toEqual(['email', 'password', 'name']);
  });

  it('refuses a user the app did not create, 404s an unknown one', async () => {
    expect(await platform('GET', '/users/1')).toEqual({
      status: 401,
      body: { error: 'Non permissible resource' },
    });
    expect((await platform('GET', '/users/999')).status).toBe(404);
  });

  it('adds, lists and removes members; the user shows the account and role', async () => {
    const { accountId, userId } = await provision();
    const rows = await platform('GET', `/accounts/${accountId}/account_users`);
    expect(rows.body).toEqual([
      expect.objectContaining({ account_id: accountId, user_id: userId, role: 'administrator' }),
    ]);
    const shown = await platform('GET', `/users/${userId}`);
    expect(shown.body).toMatchObject({
      account_id: accountId,
      role: 'administrator',
      accounts: [{ id: accountId, name: 'Globex', active_at: null, role: 'administrator' }],
    });
    expect(await platform('POST', `/accounts/${accountId}/account_users`, { user_id: 999 })).toEqual({
      status: 422,
      body: { message: 'User must exist', attributes: ['user'] },
    });
    expect(
      (await platform('DELETE', `/accounts/${accountId}/account_users`, { user_id: userId })).status,
    ).toBe(200);
    expect((await platform('GET', `/accounts/${accountId}/account_users`)).body).toEqual([]);
  });

  it('gives the user’s token (POST /users/{id}/token) and an SSO link', async () => {
    const { userId, token } = await provision();
    const answer = await platform('POST', `/users/${userId}/token`);
    expect(answer.body).toMatchObject({ access_token: token, expiry: null, user: { id: userId } });
    const login = await platform('GET', `/users/${userId}/login`);
    expect((login.body as { url: string }).url).toMatch(
      new RegExp(`^${fake.baseUrl}/app/login\\?email=owner%40globex\\.test&sso_auth_token=[0-9a-f]{64}$`),
    );
  });
});

describe('the Application API in a provisioned account', () => {
  it('refuses a platform token, and a user who is not a member', async () => {
    const { accountId } = await provision();
    expect(
      await call('GET', `/api/v1/accounts/${accountId}/inboxes`, { token: fake.tokens.platform }),
    ).toEqual({
      status: 401,
      body: { error: 'Access to this endpoint is not authorized for bots' },
    });
    expect(await call('GET', `/api/v1/accounts/${accountId}/inboxes`, { token: fake.tokens.admin })).toEqual({
      status: 401,
      body: { error: 'You are not authorized to access this account' },
    });
  });

  it('creates the API inbox, the webhook and attaches a platform bot; a chatbot hands off into it', async () => {
    const { accountId, token } = await provision();
    const base = `/api/v1/accounts/${accountId}`;
    const inbox = await call('POST', `${base}/inboxes`, {
      token,
      body: { name: 'Support bot', channel: { type: 'api', webhook_url: 'https://runtime.test/hooks/1' } },
    });
    expect(inbox.status).toBe(200);
    const inboxId = (inbox.body as { id: number }).id;
    expect(inbox.body).toMatchObject({ name: 'Support bot', webhook_url: 'https://runtime.test/hooks/1' });
    expect(inboxId).not.toBe(fake.inboxId);
    const updated = await call('PATCH', `${base}/inboxes/${inboxId}`, {
      token,
      body: { channel: { webhook_url: 'https://runtime.test/hooks/2' } },
    });
    expect(updated.body).toMatchObject({ webhook_url: 'https://runtime.test/hooks/2' });
    const webhook = await call('POST', `${base}/webhooks`, {
      token,
      body: { url: 'https://runtime.test/account-hooks', subscriptions: ['conversation_status_changed'] },
    });
    expect(webhook.status).toBe(200);
    expect(fake.account(accountId)?.webhooks).toHaveLength(1);
    const bot = await platform('POST', '/agent_bots', {
      name: 'Handoff',
      outgoing_url: 'https://runtime.test/bot',
    });
    expect(bot.body).toMatchObject({ account_id: null, outgoing_url: 'https://runtime.test/bot' });
    const botId = (bot.body as { id: number }).id;
    const attached = await call('POST', `${base}/inboxes/${inboxId}/set_agent_bot`, {
      token,
      body: { agent_bot: botId },
    });
    expect(attached.status).toBe(200);
    // The seeded account's inbox is not this account's.
    expect((await call('GET', `${base}/inboxes/${fake.inboxId}`, { token })).status).toBe(404);

    const contact = await call('POST', `${base}/contacts`, {
      token,
      body: { inbox_id: inboxId, name: 'Jane' },
    });
    expect(contact.status).toBe(200);
    const contactId = (contact.body as { payload: { contact: { id: number } } }).payload.contact.id;
    const conversation = await call('POST', `${base}/conversations`, {
      token,
      body: { inbox_id: inboxId, contact_id: contactId },
    });
    expect(conversation.status).toBe(200);
    expect(fake.account(accountId)?.conversations).toHaveLength(1);
    expect(fake.conversations()).toHaveLength(0);
    expect(fake.account(accountId)?.inbox?.agentBotId).toBe(botId);
    const webhookId = (webhook.body as { payload: { webhook: { id: number } } }).payload.webhook.id;
    expect((await call('DELETE', `${base}/webhooks/${webhookId}`, { token })).status).toBe(200);
    expect(fake.account(accountId)?.webhooks).toEqual([]);
    expect((await call('DELETE', `${base}/webhooks/${webhookId}`, { token })).status).toBe(404);
  });

  it('records the invitation Chatwoot emails when an administrator adds a new agent, none for a known user', async () => {
    const { accountId, token } = await provision();
    const invited = await call('POST', `/api/v1/accounts/${accountId}/agents`, {
      token,
      body: { email: 'new@globex.test', name: 'Nina' },
    });
    expect(invited.status).toBe(200);
    expect(invited.body).toMatchObject({ email: 'new@globex.test', role: 'agent', confirmed: false });
    expect(fake.emails()).toEqual([
      expect.objectContaining({
        to: 'new@globex.test',
        kind: 'confirmation_instructions',
        variant: 'invitation',
        link: expect.stringMatching(
          new RegExp(`^${fake.baseUrl}/app/auth/password/edit\\?reset_password_token=`),
        ),
      }),
    ]);
    const known = await call('POST', `/api/v1/accounts/${accountId}/agents`, {
      token,
      body: { email: 'anna@acme.test' },
    });
    expect(known.status).toBe(200);
    expect(fake.emails()).toHaveLength(1);
  });

  it('creates a second inbox in an account only as a stated fake limitation', async () => {
    const { accountId, token } = await provision();
    const body = { name: 'A', channel: { type: 'api' } };
    expect((await call('POST', `/api/v1/accounts/${accountId}/inboxes`, { token, body })).status).toBe(200);
    const second = await call('POST', `/api/v1/accounts/${accountId}/inboxes`, { token, body });
    expect(second.status).toBe(500);
    expect(second.body).toMatchObject({ exception: expect.stringContaining('one inbox per account') });
  });
});
