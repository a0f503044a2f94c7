/** The fake's team and team-member routes, in an account a platform app created (v4.15.1 rules). */
import { describe, expect, it } from 'vitest';
import type { FakeChatwoot } from '../src/testing/index.js';
import { useFakeChatwootPerTest } from './fake-chatwoot-per-test.js';

let fake: FakeChatwoot;
const { call, platform } = useFakeChatwootPerTest((started) => {
  fake = started;
});

/** A user of the account with that role, as a provisioner adds them; returns their id and token. */
async function member(accountId: number, email: string, role: 'administrator' | 'agent') {
  const user = await platform('POST', '/users', {
    name: email.split('@')[0],
    email,
    password: 'Secret-123!',
  });
  const { id, access_token: token } = user.body as { id: number; access_token: string };
  await platform('POST', `/accounts/${accountId}/account_users`, { user_id: id, role });
  return { id, token };
}

/** A platform-created account with an administrator (Olga) and an agent (Nina). */
async function provision() {
  const account = await platform('POST', '/accounts', { name: 'Globex' });
  const accountId = (account.body as { id: number }).id;
  const admin = await member(accountId, 'olga@globex.test', 'administrator');
  const agent = await member(accountId, 'nina@globex.test', 'agent');
  return { accountId, base: `/api/v1/accounts/${accountId}`, admin, agent };
}

describe('teams in a provisioned account', () => {
  it('lets its administrator create a team, add a member and list both', async () => {
    const { accountId, base, admin, agent } = await provision();
    expect(fake.account(accountId)?.teams).toEqual([]);

    const created = await call('POST', `${base}/teams`, { token: admin.token, body: { name: 'Orders' } });
    expect(created).toEqual({
      status: 200,
      body: {
        id: 4,
        name: 'orders',
        description: null,
        allow_auto_assign: true,
        account_id: accountId,
        is_member: false,
      },
    });
    const added = await call('POST', `${base}/teams/4/team_members`, {
      token: admin.token,
      body: { user_ids: [agent.id] },
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual([
      expect.objectContaining({
        id: agent.id,
        account_id: accountId,
        role: 'agent',
        availability_status: 'offline',
      }),
    ]);
    // Adding a member again answers nobody new.
    expect(
      await call('POST', `${base}/teams/4/team_members`, {
        token: admin.token,
        body: { user_ids: [agent.id] },
      }),
    ).toEqual({ status: 200, body: [] });

    expect((await call('GET', `${base}/teams`, { token: agent.token })).body).toEqual([
      expect.objectContaining({ id: 4, name: 'orders', is_member: true }),
    ]);
    expect((await call('GET', `${base}/teams/4/team_members`, { token: agent.token })).body).toEqual([
      expect.objectContaining({ id: agent.id, email: 'nina@globex.test' }),
    ]);
    expect(fake.account(accountId)?.teams).toMatchObject([{ id: 4, memberIds: [agent.id] }]);
    // The seeded account does not see it.
    expect(fake.teams().map((team) => team.id)).toEqual([1, 2, 3]);
    expect((await call('GET', '/api/v1/accounts/1/teams/4', { token: fake.tokens.admin })).status).toBe(404);
  });

  it('refuses an agent (401, TeamPolicy and TeamMemberPolicy) and a bot', async () => {
    const { base, admin, agent } = await provision();
    const refused = { status: 401, body: { error: 'You are not authorized to do this action' } };
    expect(await call('POST', `${base}/teams`, { token: agent.token, body: { name: 'Orders' } })).toEqual(
      refused,
    );
    await call('POST', `${base}/teams`, { token: admin.token, body: { name: 'Orders' } });
    for (const method of ['POST', 'PATCH', 'DELETE'])
      expect(
        await call(method, `${base}/teams/4/team_members`, {
          token: agent.token,
          body: { user_ids: [agent.id] },
        }),
      ).toEqual(refused);
    expect(await call('PATCH', `${base}/teams/4`, { token: agent.token, body: { name: 'x' } })).toEqual(
      refused,
    );
    expect(await call('DELETE', `${base}/teams/4`, { token: agent.token })).toEqual(refused);
    // The team is looked up first: an unknown one is a 404 whoever asks.
    expect(
      (await call('PATCH', `${base}/teams/99`, { token: agent.token, body: { name: 'x' } })).status,
    ).toBe(404);
    expect(
      (await call('POST', '/api/v1/accounts/1/teams', { token: fake.tokens.bot, body: { name: 'x' } })).body,
    ).toEqual({
      error: 'Access to this endpoint is not authorized for bots',
    });
  });

  it('refuses a duplicate name (in any case) and a blank one with 422, and a missing team', async () => {
    const { base, admin } = await provision();
    await call('POST', `${base}/teams`, { token: admin.token, body: { name: 'Orders' } });
    expect(
      await call('POST', `${base}/teams`, { token: admin.token, body: { team: { name: 'ORDERS' } } }),
    ).toEqual({
      status: 422,
      body: { message: 'Name has already been taken', attributes: ['name'] },
    });
    expect(await call('POST', `${base}/teams`, { token: admin.token, body: { name: '  ' } })).toEqual({
      status: 422,
      body: { message: 'Name must not be blank', attributes: ['name'] },
    });
    expect(await call('POST', `${base}/teams`, { token: admin.token, body: { other: 1 } })).toEqual({
      status: 422,
      body: { error: 'param is missing or the value is empty: team' },
    });
    // Names are unique per account: the seeded account has its own `orders` and refuses a second.
    expect(
      (await call('POST', '/api/v1/accounts/1/teams', { token: fake.tokens.admin, body: { name: 'Orders' } }))
        .status,
    ).toBe(422);
    expect(
      (
        await call('POST', '/api/v1/accounts/1/teams', {
          token: fake.tokens.admin,
          body: { name: 'Refunds' },
        })
      ).status,
    ).toBe(200);
  });

  it('takes only users of the account (401 Invalid User IDs), replaces and removes members', async () => {
    const { base, admin, agent } = await provision();
    await call('POST', `${base}/teams`, {
      token: admin.token,
      body: { name: 'Orders', allow_auto_assign: false },
    });
    const path = `${base}/teams/4/team_members`;
    // Anna (7) is a user of the seeded account only.
    expect(await call('POST', path, { token: admin.token, body: { user_ids: [agent.id, 7] } })).toEqual({
      status: 401,
      body: { error: 'Invalid User IDs' },
    });
    expect((await call('POST', path, { token: admin.token, body: {} })).status).toBe(500);
    await call('POST', path, { token: admin.token, body: { user_ids: [agent.id] } });
    const replaced = await call('PATCH', path, { token: admin.token, body: { user_ids: [admin.id] } });
    expect((replaced.body as Array<{ id: number }>).map((user) => user.id)).toEqual([admin.id]);
    expect((await call('PUT', path, { token: admin.token, body: { user_ids: [] } })).status).toBe(404);
    expect(await call('DELETE', path, { token: admin.token, body: { user_ids: [admin.id] } })).toEqual({
      status: 200,
      body: undefined,
    });
    expect((await call('GET', path, { token: admin.token })).body).toEqual([]);
    const renamed = await call('PUT', `${base}/teams/4`, {
      token: admin.token,
      body: { description: 'Deliveries', allow_auto_assign: 'true' },
    });
    expect(renamed.body).toMatchObject({
      name: 'orders',
      description: 'Deliveries',
      allow_auto_assign: true,
    });
  });

  it('transfers a conversation of that account to the team; its members are available once they say so', async () => {
    const { accountId, base, admin, agent } = await provision();
    const team = await call('POST', `${base}/teams`, { token: admin.token, body: { name: 'Orders' } });
    const teamId = (team.body as { id: number }).id;
    await call('POST', `${base}/teams/${teamId}/team_members`, {
      token: admin.token,
      body: { user_ids: [agent.id] },
    });
    const members = () => call('GET', `${base}/teams/${teamId}/team_members`, { token: admin.token });
    expect((await members()).body).toEqual([expect.objectContaining({ availability_status: 'offline' })]);
    fake.setAvailability(agent.id, 'online');
    expect((await members()).body).toEqual([expect.objectContaining({ availability_status: 'online' })]);
    fake.setPresence(agent.id, false, { accountId });
    expect((await members()).body).toEqual([expect.objectContaining({ availability_status: 'offline' })]);
    expect(() => fake.setAvailability(agent.id, 'online', { accountId: 1 })).toThrow(
      /not a member of account 1/,
    );

    const inbox = await call('POST', `${base}/inboxes`, {
      token: admin.token,
      body: { name: 'Support bot', channel: { type: 'api' } },
    });
    const inboxId = (inbox.body as { id: number }).id;
    const contact = await call('POST', `${base}/contacts`, {
      token: admin.token,
      body: { inbox_id: inboxId, name: 'Jane' },
    });
    const contactId = (contact.body as { payload: { contact: { id: number } } }).payload.contact.id;
    const conversation = await call('POST', `${base}/conversations`, {
      token: admin.token,
      body: { inbox_id: inboxId, contact_id: contactId },
    });
    const displayId = (conversation.body as { id: number }).id;
    const assigned = await call('POST', `${base}/conversations/${displayId}/assignments`, {
      token: admin.token,
      body: { team_id: teamId },
    });
    expect(assigned.body).toMatchObject({ id: teamId, name: 'orders', account_id: accountId });
    const shown = await call('GET', `${base}/conversations/${displayId}`, { token: agent.token });
    expect(shown.body).toMatchObject({ meta: { team: { id: teamId, name: 'orders', is_member: true } } });
    expect(fake.account(accountId)?.conversations[0]).toMatchObject({ teamId });

    // Deleting the team takes it off its conversations (`dependent: :nullify`).
    expect((await call('DELETE', `${base}/teams/${teamId}`, { token: admin.token })).status).toBe(200);
    expect(fake.account(accountId)?.conversations[0]).toMatchObject({ teamId: null });
    expect(fake.account(accountId)?.teams).toEqual([]);
  });
});
