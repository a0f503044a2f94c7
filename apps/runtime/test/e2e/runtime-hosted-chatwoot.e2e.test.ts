// Hosted Chatwoot: a chatbot that chooses Chatwoot with nothing filled in gets its organization's
// account, owners, inbox and webhook provisioned through the Platform API (the fake's, at 4.15.1).
import { type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { admin, settingsOf } from '../support/admin-token.js';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { startHostedRuntime } from '../support/hosted-runtime.js';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

const cleanups = cleanupsAfterEach();

/** A fake Chatwoot with a platform app, and a runtime that hosts Chatwoot on it. */
async function setup() {
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  const started = await startHostedRuntime(fake);
  cleanups.push(started.close);
  return { fake, ...started };
}

const organizations = {
  acme: {
    id: 'org-acme',
    name: 'Acme',
    owners: [
      { email: 'ann@acme.example', name: 'Ann', emailVerified: true },
      { email: 'bob@acme.example', name: 'Bob', emailVerified: false },
    ],
  },
  globex: {
    id: 'org-globex',
    name: 'Globex',
    owners: [{ email: 'carla@globex.example', name: 'Carla', emailVerified: true }],
  },
};

/** Acme's chatbot choosing hosted Chatwoot, support still off. */
const acmeShop = {
  id: 'acme-shop',
  name: 'Acme',
  organization: organizations.acme,
  channels: { web: { token: 'acme-shop-web-token-0123456789' } },
  support: { type: 'chatwoot' },
  supportEnabled: false,
  routing: { defaultTeam: '1' },
};

/** A call to the fake's Application API with a user's token, as that user would in Chatwoot. */
async function asUser(fake: FakeChatwoot, token: string, path: string, body: unknown) {
  const response = await request(`${fake.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', api_access_token: token },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  expect(response.statusCode, text).toBe(200);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('hosted Chatwoot', () => {
  it('provisions each organization’s account, and each chatbot hands off into its own', async () => {
    const { fake, call, runtime } = await setup();
    /** The account token provisioning stored for the chatbot (an owner's: an administrator). */
    const ownerToken = async (bot: string) => {
      const support = (await runtime.chatbots.settings(bot))?.settings.support;
      if (support?.type !== 'chatwoot' || support.chatwoot === undefined)
        throw new Error(`${bot}: not provisioned`);
      return support.chatwoot.userToken;
    };
    const before = fake.accountIds();
    const chatbots = [
      { id: 'acme-shop', organization: organizations.acme, owner: 'ann@acme.example' },
      { id: 'globex-help', organization: organizations.globex, owner: 'carla@globex.example' },
    ];
    const accounts: Record<string, number> = {};
    for (const { id, organization, owner } of chatbots) {
      // Chatwoot chosen with nothing filled in: the account is provisioned, support still off.
      const created = await call(
        'POST',
        '/v1/admin/bots',
        {
          id,
          name: organization.name,
          organization,
          channels: { web: { token: `${id}-web-token-0123456789` } },
          support: { type: 'chatwoot' },
          supportEnabled: false,
          routing: { defaultTeam: '1' },
        },
        admin,
      );
      expect(created.status, created.text).toBe(201);
      const support = created.json.support as {
        hosted: boolean;
        provisioning: { accountId: number; refusedOwners: Array<{ email: string; reason: string }> };
        chatwoot: Record<string, unknown>;
      };
      expect(support.hosted).toBe(true);
      // Write-only, as every secret.
      expect(support.chatwoot.userToken).toEqual({ set: true });
      const accountId = support.provisioning.accountId;
      accounts[id] = accountId;
      // The unverified owner is named, with why, and has no login.
      expect(support.provisioning.refusedOwners.map((refused) => refused.email)).toEqual(
        organization.owners
          .filter((candidate) => !candidate.emailVerified)
          .map((candidate) => candidate.email),
      );
      expect(fake.users().map((user) => user.email)).not.toContain('bob@acme.example');
      const snapshot = fake.account(accountId);
      expect(snapshot?.members.map((member) => member.email)).toEqual([owner]);
      expect(snapshot?.webhooks.map((webhook) => webhook.url)).toEqual([
        `${runtime.config.server.publicUrl}/v1/bots/${id}/support/webhook`,
      ]);

      // Its owner creates a team in Chatwoot; the routing names it; support goes on.
      const token = await ownerToken(id);
      const team = await asUser(fake, token, `/api/v1/accounts/${accountId}/teams`, { name: 'Orders' });
      const ownerId = fake.users().find((user) => user.email === owner)?.id;
      await asUser(fake, token, `/api/v1/accounts/${accountId}/teams/${team.id}/team_members`, {
        user_ids: [ownerId],
      });
      fake.setAvailability(Number(ownerId), 'online');
      const routed = await call(
        'PUT',
        `/v1/admin/bots/${id}/routing`,
        { defaultTeam: { team: String(team.id), label: 'Orders' }, teams: [] },
        admin,
      );
      expect(routed.status, routed.text).toBe(200);
      const settings = settingsOf(routed.json);
      const on = await call(
        'PUT',
        `/v1/bots/${id}`.replace('/v1/bots', '/v1/admin/bots'),
        { ...settings, supportEnabled: true },
        admin,
      );
      expect(on.status, on.text).toBe(200);
    }
    expect(new Set(Object.values(accounts)).size).toBe(2);
    expect(fake.accountIds()).toHaveLength(before.length + 2);

    // Each chatbot's user hands off into its own account; the agent's reply comes back.
    for (const { id, owner } of chatbots) {
      const base = `/v1/bots/${id}/channels/web/users/alice`;
      const channel = { authorization: `Bearer ${id}-web-token-0123456789` };
      expect((await call('POST', `${base}/messages`, { text: 'human please' }, channel)).status).toBe(200);
      const accountId = accounts[id] as number;
      const conversation = await eventually(() => {
        const [only, ...others] = fake.account(accountId)?.conversations ?? [];
        if (only === undefined || others.length > 0)
          throw new Error(`account ${accountId}: no single conversation`);
        // The handoff opens the conversation, then transfers it: wait for the team too.
        if (only.teamId === null) throw new Error(`account ${accountId}: not transferred yet`);
        return only;
      }, 10_000);
      expect(conversation.teamId).not.toBeNull();
      const token = await ownerToken(id);
      await asUser(
        fake,
        token,
        `/api/v1/accounts/${accountId}/conversations/${conversation.displayId}/messages`,
        {
          content: `${owner} here.`,
          message_type: 'outgoing',
        },
      );
      await eventually(async () => {
        const entries = await runtime.stores.mailbox.after(`bots/${id}/web/alice`, 0);
        expect(entries.map((entry) => entry.message.text)).toContain(`${owner} here.`);
      }, 10_000);
    }
  });

  it('provisions again without creating anything twice, and refuses an organization with no verified owner', async () => {
    const { fake, call } = await setup();
    const body = acmeShop;
    expect((await call('POST', '/v1/admin/bots', body, admin)).status).toBe(201);
    const counts = () => ({
      accounts: fake.accountIds().length,
      users: fake.users().length,
      agentBots: fake.agentBots().length,
      webhooks: fake.accountIds().flatMap((accountId) => fake.account(accountId)?.webhooks ?? []).length,
      inboxes: fake.accountIds().filter((accountId) => fake.account(accountId)?.inbox !== undefined).length,
    });
    const once = counts();
    // Chosen again (the settings page sends it back without the account details): nothing new.
    const { id: _id, ...settings } = body;
    expect((await call('PUT', '/v1/admin/bots/acme-shop', settings, admin)).status).toBe(200);
    expect(counts()).toEqual(once);
    // A second chatbot of another organization whose owners are all unverified: refused, named.
    const refused = await call(
      'POST',
      '/v1/admin/bots',
      {
        ...body,
        id: 'initech',
        organization: {
          id: 'org-initech',
          name: 'Initech',
          owners: [{ email: 'peter@initech.example', name: 'Peter', emailVerified: false }],
        },
      },
      admin,
    );
    expect(refused.status).toBe(400);
    expect(refused.json.issues).toEqual([
      {
        path: 'organization.owners[0].emailVerified',
        message: expect.stringContaining('peter@initech.example is not verified'),
      },
    ]);
    expect(counts()).toEqual(once);
    // Without an organization, hosted Chatwoot has nothing to provision for.
    const { organization: _organization, ...orphan } = body;
    const noOrganization = await call('POST', '/v1/admin/bots', { ...orphan, id: 'orphan' }, admin);
    expect([noOrganization.status, (noOrganization.json.issues as Array<{ path: string }>)[0]?.path]).toEqual(
      [400, 'organization'],
    );
  });

  it('goes on, when support is chosen again, from a provisioning cut short at any request', async () => {
    const body = acmeShop;
    /** What the fake holds, without ids or secrets: the same after any interrupted run and its retry. */
    const records = (fake: FakeChatwoot) =>
      fake
        .accountIds()
        .map((accountId) => fake.account(accountId))
        .map((account) => ({
          members: account?.members.map((member) => member.email),
          inbox: account?.inbox?.name,
          webhooks: account?.webhooks.map((webhook) => webhook.url.replace(/:\d+\//, ':port/')),
        }));
    const clean = await setup();
    expect((await clean.call('POST', '/v1/admin/bots', body, admin)).status).toBe(201);
    const requests = clean.fake.requests.length;
    const expected = records(clean.fake);
    expect(requests).toBeGreaterThan(4);
    for (let step = 0; step < requests; step += 1) {
      const { fake, call } = await setup();
      fake.injectFault({ kind: step % 2 === 0 ? 'server_error' : 'lost_answer' }, { after: step });
      const cut = await call('POST', '/v1/admin/bots', body, admin);
      expect([step, cut.status, cut.json.error]).toEqual([step, expect.any(Number), 'provisioning_failed']);
      expect((await call('GET', '/v1/admin/bots/acme-shop', undefined, admin)).status).toBe(404);
      const again = await call('POST', '/v1/admin/bots', body, admin);
      expect([step, again.status]).toEqual([step, 201]);
      expect([step, records(fake)]).toEqual([step, expected]);
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    }
  }, 120_000);

  it('refuses to start hosted Chatwoot without the platform token or a public URL, naming both', async () => {
    const attempt = startRuntime({ hosted: { chatwoot: { baseUrl: 'https://chatwoot.example' } } });
    await expect(attempt).rejects.toMatchObject({
      issues: [
        {
          path: ['hosted', 'chatwoot', 'platformToken'],
          message: expect.stringContaining('HANDOFF_CHATWOOT_PLATFORM_TOKEN'),
        },
        { path: ['server', 'publicUrl'], message: expect.stringContaining('webhooks') },
      ],
    });
  });
});
