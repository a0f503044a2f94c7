// createChatwootProvisioner against the fake Chatwoot's Platform API and per-account application routes.

import { isSupportError } from '@handoff/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatwootAdapter } from '../src/chatwoot-adapter.js';
import { chatwootWebhookSubscriptions } from '../src/chatwoot-webhook-registration.js';
import { unverifiedOwnerReason } from '../src/provisioning/account-owners.js';
import { createChatwootProvisioner } from '../src/provisioning/chatwoot-provisioner.js';
import type { ProvisionOrganizationOptions } from '../src/provisioning/chatwoot-provisioner-options.js';
import { type FakeChatwoot, type FakeFault, startFakeChatwoot } from '../src/testing/index.js';

const fakes: FakeChatwoot[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function setup() {
  const fake = await startFakeChatwoot();
  fakes.push(fake);
  const provisioner = createChatwootProvisioner({
    baseUrl: fake.baseUrl,
    platformToken: fake.tokens.platform,
    requestTimeoutMs: 2_000,
  });
  return { fake, provisioner };
}

const webhookUrl = (bot: string) => `https://runtime.example.test/v1/bots/${bot}/support/webhook`;

function organization(
  name: string,
  overrides: Partial<ProvisionOrganizationOptions> = {},
): ProvisionOrganizationOptions {
  const slug = name.toLowerCase();
  return {
    organizationId: `org_${slug}`,
    name,
    owners: [{ email: `owner@${slug}.test`, name: `${name} Owner`, emailVerified: true }],
    chatbot: { id: `${slug}-bot`, webhookUrl: webhookUrl(`${slug}-bot`) },
    ...overrides,
  };
}

const withAgentBot = (options: ProvisionOrganizationOptions): ProvisionOrganizationOptions => ({
  ...options,
  agentBot: {
    name: `${options.name} bot`,
    outgoingUrl: `https://runtime.example.test/v1/agent-bot/${options.name}/webhook`,
  },
});

/** Everything provisioning can create, without the random tokens and secrets. */
function records(fake: FakeChatwoot) {
  const seeded = fake.accountId;
  return {
    accounts: fake
      .accountIds()
      .filter((id) => id !== seeded)
      .map((id) => {
        const snapshot = fake.account(id);
        return {
          id,
          name: snapshot?.account.name,
          customAttributes: snapshot?.account.customAttributes,
          members: snapshot?.members.map((member) => ({ id: member.id, role: member.role })),
          inbox:
            snapshot?.inbox === undefined
              ? undefined
              : {
                  id: snapshot.inbox.id,
                  name: snapshot.inbox.name,
                  webhookUrl: snapshot.inbox.webhookUrl,
                  agentBotId: snapshot.inbox.agentBotId,
                },
          webhooks: snapshot?.webhooks.map((webhook) => ({
            url: webhook.url,
            subscriptions: webhook.subscriptions,
          })),
        };
      }),
    users: fake.users().map((user) => ({ id: user.id, email: user.email })),
    agentBots: fake
      .agentBots()
      .map((bot) => ({ id: bot.id, name: bot.name, accountId: bot.accountId, outgoingUrl: bot.outgoingUrl })),
  };
}

const userByEmail = (fake: FakeChatwoot, email: string) => fake.users().find((user) => user.email === email);

describe('createChatwootProvisioner: provisionOrganization', () => {
  it('provisions two organizations into two accounts, each with its owner, inbox and account webhook', async () => {
    const { fake, provisioner } = await setup();
    const acme = await provisioner.provisionOrganization(organization('Globex'));
    const initech = await provisioner.provisionOrganization(organization('Initech'));
    expect(acme.settings.accountId).not.toBe(initech.settings.accountId);

    for (const [result, name] of [
      [acme, 'Globex'],
      [initech, 'Initech'],
    ] as const) {
      const slug = name.toLowerCase();
      const snapshot = fake.account(result.settings.accountId);
      expect(snapshot?.account).toMatchObject({
        name,
        customAttributes: { handoff_organization_id: `org_${slug}` },
      });
      const owner = userByEmail(fake, `owner@${slug}.test`);
      expect(snapshot?.members.map((member) => [member.id, member.role])).toEqual([
        [owner?.id, 'administrator'],
      ]);
      expect(snapshot?.inbox).toMatchObject({
        id: result.settings.inboxId,
        name: `Handoff ${slug}-bot`,
      });
      expect(snapshot?.inbox?.webhookUrl).toBeFalsy();
      expect(snapshot?.webhooks).toHaveLength(1);
      const [webhook] = snapshot?.webhooks ?? [];
      expect(webhook).toMatchObject({
        url: webhookUrl(`${slug}-bot`),
        subscriptions: [...chatwootWebhookSubscriptions],
      });
      expect(result.settings).toEqual({
        baseUrl: fake.baseUrl,
        accountId: snapshot?.account.id,
        inboxId: snapshot?.inbox?.id,
        userToken: owner?.accessToken,
        webhookSecret: webhook?.secret,
      });
      expect(result.report).toMatchObject({
        account: { id: result.settings.accountId, created: true },
        owners: [
          { email: `owner@${slug}.test`, userId: owner?.id, addedToAccount: true, role: 'administrator' },
        ],
        refusedOwners: [],
        actingUserId: owner?.id,
        inbox: { id: result.settings.inboxId, created: true, webhookUrlChanged: false },
        webhook: {
          delivery: 'account',
          accountWebhookId: String(webhook?.id),
          created: true,
          removedAccountWebhooks: 0,
        },
      });
      // The settings are the adapter's: its own check accepts them (the profile lists every
      // membership of the user, `api/v1/models/_user.json.jbuilder`), and it works in the account.
      const adapter = createChatwootAdapter({ ...result.settings, requestTimeoutMs: 2_000 });
      expect(await adapter.verifySettings?.()).toEqual([]);
      expect(await adapter.listTeams()).toEqual([]);
    }
    // No email goes out: the platform API confirms the users it creates.
    expect(fake.emails()).toEqual([]);
  });

  it('run again, creates nothing and answers the same settings', async () => {
    const { fake, provisioner } = await setup();
    const options = withAgentBot(organization('Globex'));
    const first = await provisioner.provisionOrganization(options);
    const before = records(fake);
    const sent = fake.requests.length;
    const second = await provisioner.provisionOrganization(options);
    expect(records(fake)).toEqual(before);
    expect(second.settings).toEqual(first.settings);
    expect(second.agentBotSecret).toBe(first.agentBotSecret);
    expect(second.report).toMatchObject({
      account: { created: false },
      owners: [{ addedToAccount: false }],
      inbox: { created: false, webhookUrlChanged: false },
      webhook: { created: false },
      agentBot: { created: false, outgoingUrlChanged: false, attached: false },
    });
    // Nothing is created or deleted: the only POST is users#create, which Chatwoot answers with the
    // existing user. (Against the fake the inbox's tags are also PATCHed again each run: it drops the
    // API channel's additional_attributes, which Chatwoot keeps.)
    const writes = fake.requests.slice(sent).filter((request) => ['POST', 'DELETE'].includes(request.method));
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /platform/api/v1/users',
    ]);
  });

  it('makes the agent bot of the account for internal mode and attaches it to the inbox', async () => {
    const { fake, provisioner } = await setup();
    const result = await provisioner.provisionOrganization(withAgentBot(organization('Globex')));
    const bot = fake.agentBots().find((candidate) => candidate.id === result.settings.agentBotId);
    expect(bot).toMatchObject({
      name: 'Globex bot',
      accountId: result.settings.accountId,
      outgoingUrl: 'https://runtime.example.test/v1/agent-bot/Globex/webhook',
    });
    expect(result.settings.agentBotToken).toBe(bot?.accessToken);
    expect(result.agentBotSecret).toBe(bot?.secret);
    expect(fake.account(result.settings.accountId)?.inbox?.agentBotId).toBe(bot?.id);
    expect(result.report.agentBot).toEqual({
      id: bot?.id,
      created: true,
      outgoingUrlChanged: false,
      attached: true,
    });

    // A changed outgoing URL is set on the same bot.
    const moved = await provisioner.provisionOrganization({
      ...organization('Globex'),
      agentBot: { name: 'Globex bot', outgoingUrl: 'https://elsewhere.example.test/bot' },
    });
    expect(moved.settings.agentBotId).toBe(bot?.id);
    expect(moved.report.agentBot).toMatchObject({
      created: false,
      outgoingUrlChanged: true,
      attached: false,
    });
    expect(fake.agentBots().filter((candidate) => candidate.name === 'Globex bot')).toHaveLength(1);
  });

  it('refuses unverified owners with the reason and makes no user for them', async () => {
    const { fake, provisioner } = await setup();
    const result = await provisioner.provisionOrganization(
      organization('Globex', {
        owners: [
          { email: 'Owner@Globex.test', name: 'Olga', emailVerified: true },
          { email: 'claimed@globex.test', name: 'Mallory', emailVerified: false },
        ],
      }),
    );
    expect(result.report.refusedOwners).toEqual([
      { email: 'claimed@globex.test', reason: unverifiedOwnerReason },
    ]);
    expect(result.report.owners.map((owner) => owner.email)).toEqual(['owner@globex.test']);
    expect(userByEmail(fake, 'claimed@globex.test')).toBeUndefined();
    expect(
      fake.requests.filter((request) => JSON.stringify(request.body ?? '').includes('claimed@globex.test')),
    ).toEqual([]);
  });

  it('with no verified owner, refuses before any request', async () => {
    const { fake, provisioner } = await setup();
    const refusal = await provisioner
      .provisionOrganization(
        organization('Globex', {
          owners: [{ email: 'admin@acme.test', name: 'Not Admin', emailVerified: false }],
        }),
      )
      .catch((error: unknown) => error);
    expect(isSupportError(refusal) && refusal.code).toBe('invalid_request');
    expect(String((refusal as Error).message)).toContain('not verified');
    expect(fake.requests).toEqual([]);
  });

  it('adopts an existing Chatwoot user with the same email (users#create answers them) and keeps a member’s role', async () => {
    const { fake, provisioner } = await setup();
    const existing = userByEmail(fake, 'anna@acme.test');
    const usersBefore = fake.users().length;
    const result = await provisioner.provisionOrganization(
      organization('Globex', {
        owners: [{ email: 'anna@acme.test', name: 'Someone else', emailVerified: true }],
      }),
    );
    expect(fake.users()).toHaveLength(usersBefore);
    expect(result.report.owners).toEqual([
      { email: 'anna@acme.test', userId: existing?.id, addedToAccount: true, role: 'administrator' },
    ]);
    expect(userByEmail(fake, 'anna@acme.test')?.name).toBe(existing?.name);
    expect(result.settings.userToken).toBe(existing?.accessToken);
  });

  it('ignores a kept account id that is not the organization’s, and finds its own by the tag', async () => {
    const { fake, provisioner } = await setup();
    const globex = await provisioner.provisionOrganization(organization('Globex'));
    const initech = await provisioner.provisionOrganization(organization('Initech'));
    const again = await provisioner.provisionOrganization(
      organization('Globex', { accountId: initech.settings.accountId }),
    );
    expect(again.settings.accountId).toBe(globex.settings.accountId);
    // The seeded account is not the app's (401 Non permissible resource): ignored as well.
    const seeded = await provisioner.provisionOrganization(
      organization('Globex', { accountId: fake.accountId }),
    );
    expect(seeded.settings.accountId).toBe(globex.settings.accountId);
    expect(fake.accountIds()).toHaveLength(3);
  });

  it('with inbox delivery, the inbox webhook_url carries the events and its secret signs them', async () => {
    const { fake, provisioner } = await setup();
    const options = organization('Globex');
    const result = await provisioner.provisionOrganization({
      ...options,
      chatbot: { ...options.chatbot, webhookDelivery: 'inbox' },
    });
    const snapshot = fake.account(result.settings.accountId);
    expect(snapshot?.inbox?.webhookUrl).toBe(webhookUrl('globex-bot'));
    expect(snapshot?.webhooks).toEqual([]);
    expect(result.settings.webhookSecret).toBe(snapshot?.inbox?.secret);
    expect(result.report.webhook).toEqual({ delivery: 'inbox', created: false, removedAccountWebhooks: 0 });
  });
});

describe('createChatwootProvisioner: resumed after a failure at any step', () => {
  const faults: FakeFault[] = [{ kind: 'lost_answer' }, { kind: 'server_error' }];

  it('a run interrupted at request k, for every k, is finished by the next run with nothing made twice', async () => {
    const options = withAgentBot(organization('Globex'));
    const reference = await setup();
    await reference.provisioner.provisionOrganization(options);
    const expected = records(reference.fake);
    const steps = reference.fake.requests.length;
    expect(steps).toBeGreaterThan(10);

    for (const fault of faults) {
      for (let step = 0; step < steps; step += 1) {
        const { fake, provisioner } = await setup();
        fake.injectFault(fault, { after: step });
        const interrupted = await provisioner.provisionOrganization(options).then(
          () => 'finished',
          (error: unknown) => error,
        );
        expect(isSupportError(interrupted), `${fault.kind} at request ${step}`).toBe(true);
        const resumed = await provisioner.provisionOrganization(options);
        expect(records(fake), `${fault.kind} at request ${step}`).toEqual(expected);
        const snapshot = fake.account(resumed.settings.accountId);
        expect(resumed.settings.webhookSecret).toBe(snapshot?.webhooks[0]?.secret);
        expect(resumed.settings.agentBotId).toBe(snapshot?.inbox?.agentBotId);
        await fake.close();
        fakes.splice(fakes.indexOf(fake), 1);
      }
    }
  });
});

describe('createChatwootProvisioner: deprovisionOrganization', () => {
  const chatbotsOf = (options: ProvisionOrganizationOptions) => [options.chatbot];

  it('detaches the agent bot and empties the inbox webhook_url, keeping the account, its users, inbox and bot', async () => {
    const { fake, provisioner } = await setup();
    const base = withAgentBot(organization('Globex'));
    const options = { ...base, chatbot: { ...base.chatbot, webhookDelivery: 'inbox' as const } };
    const provisioned = await provisioner.provisionOrganization(options);
    const other = await provisioner.provisionOrganization(withAgentBot(organization('Initech')));
    const { accountId } = provisioned.settings;
    expect(fake.account(accountId)?.inbox).toMatchObject({
      webhookUrl: webhookUrl('globex-bot'),
      agentBotId: provisioned.settings.agentBotId,
    });

    const result = await provisioner.deprovisionOrganization({
      organizationId: 'org_globex',
      chatbots: chatbotsOf(options),
    });
    expect(result).toEqual({
      accountId,
      removedAccountWebhooks: 0,
      clearedInboxWebhooks: 1,
      detachedAgentBots: 1,
    });
    const snapshot = fake.account(accountId);
    expect(snapshot?.inbox).toMatchObject({ id: provisioned.settings.inboxId, agentBotId: null });
    expect(snapshot?.inbox?.webhookUrl).toBeFalsy();
    expect(snapshot?.members).toHaveLength(1);
    expect(fake.agentBots().some((bot) => bot.id === provisioned.settings.agentBotId)).toBe(true);
    // Another organization's account is untouched.
    expect(fake.account(other.settings.accountId)?.inbox?.agentBotId).toBe(other.settings.agentBotId);
    expect(fake.account(other.settings.accountId)?.webhooks).toHaveLength(1);

    // Again: nothing left to do.
    expect(
      await provisioner.deprovisionOrganization({
        organizationId: 'org_globex',
        accountId,
        chatbots: chatbotsOf(options),
      }),
    ).toEqual({ accountId, removedAccountWebhooks: 0, clearedInboxWebhooks: 0, detachedAgentBots: 0 });
    // And provisioning brings it back, on the same account, inbox and bot.
    const back = await provisioner.provisionOrganization(options);
    expect(back.settings).toEqual(provisioned.settings);
    expect(back.report.agentBot).toMatchObject({ created: false, attached: true });
    expect(back.report.inbox).toMatchObject({ created: false, webhookUrlChanged: true });
  });

  it('an organization without an account is nothing to do', async () => {
    const { fake, provisioner } = await setup();
    await provisioner.provisionOrganization(organization('Globex'));
    const sent = fake.requests.length;
    expect(await provisioner.deprovisionOrganization({ organizationId: 'org_nobody' })).toEqual({
      accountId: undefined,
      removedAccountWebhooks: 0,
      clearedInboxWebhooks: 0,
      detachedAgentBots: 0,
    });
    expect(fake.requests.slice(sent).map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /platform/api/v1/accounts',
    ]);
  });

  // Needs the fake's `DELETE /api/v1/accounts/{id}/webhooks/{id}` (`WebhooksController#destroy`,
  // `head :ok`).
  it('deletes the account webhook to the chatbot URL', async () => {
    const { fake, provisioner } = await setup();
    const provisioned = await provisioner.provisionOrganization(organization('Globex'));
    const result = await provisioner.deprovisionOrganization({
      organizationId: 'org_globex',
      chatbots: chatbotsOf(organization('Globex')),
    });
    expect(result).toMatchObject({ accountId: provisioned.settings.accountId, removedAccountWebhooks: 1 });
    expect(fake.account(provisioned.settings.accountId)?.webhooks).toEqual([]);
  });

  // The fake answers every inbox with `additional_attributes: {}` (Chatwoot keeps the API channel's,
  // `Channel::Api::EDITABLE_ATTRS`, and renders them, `_inbox.json.jbuilder`): run this when it keeps them.
  it.skip('finds the organization’s inboxes by their tags alone', async () => {
    const { fake, provisioner } = await setup();
    const base = withAgentBot(organization('Globex'));
    const provisioned = await provisioner.provisionOrganization({
      ...base,
      chatbot: { ...base.chatbot, webhookDelivery: 'inbox' },
    });
    const result = await provisioner.deprovisionOrganization({ organizationId: 'org_globex' });
    expect(result).toMatchObject({ clearedInboxWebhooks: 1, detachedAgentBots: 1 });
    expect(fake.account(provisioned.settings.accountId)?.inbox?.agentBotId).toBeNull();
  });
});
