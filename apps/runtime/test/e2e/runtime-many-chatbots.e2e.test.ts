import { chatwootSettingsFor, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { signTimestampedBody } from '@handoff/http';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { admin, adminToken, settingsOf } from '../support/admin-token.js';
import { routingTo } from '../support/order-routing.js';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const tokens = {
  shop: 'shop-web-token-0123456789abc',
  bank: 'bank-web-token-0123456789abc',
  travel: 'travel-web-token-0123456789a',
};
const bearer = (bot: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[bot]}` });

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A runtime with three registry chatbots: shop and travel on in-process systems, bank on a fake Chatwoot. */
async function setup() {
  const fake = await startFakeChatwoot();
  cleanups.push(() => fake.close());
  fake.setAvailability(7, 'online');
  fake.setAvailability(8, 'online');
  const started = await startRuntime({
    auth: {
      tokens: [{ name: 'test', token: testToken }],
      adminTokens: [{ name: 'ops', token: adminToken }],
      rateLimitPerMinute: 1_000_000,
    },
  });
  cleanups.push(started.close);
  const { call } = started;
  const create = async (body: Record<string, unknown>) => {
    const created = await call('POST', '/v1/admin/bots', body, admin);
    expect(created.status, created.text).toBe(201);
  };
  await create({
    id: 'shop',
    name: 'Shop',
    channels: { web: { token: tokens.shop } },
    routing: routingTo('2'),
  });
  await create({
    id: 'travel',
    name: 'Travel',
    channels: { web: { token: tokens.travel } },
    routing: routingTo('4'),
  });
  await create({
    id: 'bank',
    name: 'Bank',
    channels: { web: { token: tokens.bank } },
    support: { type: 'chatwoot', chatwoot: { ...chatwootSettingsFor(fake), requestTimeoutMs: 2_000 } },
    routing: routingTo('3'),
  });
  fake.setInbox({ webhookUrl: `${started.url}/v1/bots/bank/support/webhook` });
  const botUser = (bot: keyof typeof tokens, userId: string) => {
    const base = `/v1/bots/${bot}/channels/web/users/${encodeURIComponent(userId)}`;
    return {
      say: (text: string) => call('POST', `${base}/messages`, { text }, bearer(bot)),
      session: () => call('GET', `${base}/session`, undefined, bearer(bot)),
    };
  };
  return { ...started, fake, botUser };
}

/** Where a user's handoff went: the team id of their session once it has a conversation. */
async function handedOffTeam(user: { session: () => Promise<{ json: Record<string, unknown> }> }) {
  return eventually(async () => {
    const session = (await user.session()).json as {
      mode?: string;
      conversationId?: string;
      team?: { id: string };
    };
    if (session.conversationId === undefined)
      throw new Error(`no conversation yet: ${JSON.stringify(session)}`);
    return session.team?.id;
  }, 10_000);
}

describe('many chatbots in one runtime', () => {
  it('runs a chatbot on the in-process system and one on Chatwoot, with their own routing, concurrently; a routing change mid-run loses and misroutes nothing', async () => {
    const { fake, botUser, call, runtime } = await setup();
    const shoppers = Array.from({ length: 6 }, (_, index) => botUser('shop', `user-${index}`));
    const bankers = Array.from({ length: 6 }, (_, index) => botUser('bank', `user-${index}`));
    const handOff = async (user: ReturnType<typeof botUser>) => {
      expect((await user.say('where is my parcel')).json.mode).toBe('bot');
      const answer = await user.say('human please');
      expect(answer.status, answer.text).toBe(200);
    };
    await Promise.all([...shoppers.slice(0, 3), ...bankers.slice(0, 3)].map(handOff));
    expect(await Promise.all(shoppers.slice(0, 3).map(handedOffTeam))).toEqual(['2', '2', '2']);
    expect(await Promise.all(bankers.slice(0, 3).map(handedOffTeam))).toEqual(['3', '3', '3']);

    // Bank's order questions go to billing (2) from now on; those handed off already stay with orders.
    const changing = call('PUT', '/v1/admin/bots/bank/routing', routingTo('2'), admin);
    // Messages keep flowing while it changes.
    const during = bankers.slice(0, 3).map((user, index) => user.say(`still there? ${index}`));
    expect((await changing).status).toBe(200);
    for (const answer of await Promise.all(during)) expect(answer.status).toBe(200);
    await Promise.all([...shoppers.slice(3), ...bankers.slice(3)].map(handOff));
    expect(await Promise.all(shoppers.map(handedOffTeam))).toEqual(['2', '2', '2', '2', '2', '2']);
    expect(await Promise.all(bankers.map(handedOffTeam))).toEqual(['3', '3', '3', '2', '2', '2']);

    // Every bank message reached its own conversation in Chatwoot, in order; none went to the shop.
    for (const [index, user] of bankers.slice(0, 3).entries()) {
      const conversationId = Number((await user.session()).json.conversationId);
      await eventually(() => {
        const texts = (fake.conversation(conversationId)?.messages ?? [])
          .filter((message) => message.messageType === 'incoming')
          .map((message) => message.content);
        expect(texts).toEqual(['where is my parcel', 'human please', `still there? ${index}`]);
      });
    }
    expect(fake.conversations()).toHaveLength(6);
    // The shop's handoffs went to its own in-process system, none to Chatwoot.
    const shopSystem = (await runtime.servedChatbots.get('shop')).support.memory;
    expect(shopSystem?.listConversations().map((conversation) => conversation.teamId)).toEqual([
      '2',
      '2',
      '2',
      '2',
      '2',
      '2',
    ]);
    // Each chatbot's series carry its id.
    await eventually(async () => {
      const metrics = (await call('GET', '/metrics')).text;
      expect(metrics).toContain('handoff_transfers_total{team="2",bot="shop"} 6');
      expect(metrics).toContain('handoff_transfers_total{team="3",bot="bank"} 3');
      expect(metrics).toContain('handoff_transfers_total{team="2",bot="bank"} 3');
    });
  });
});

describe('support settings checked against the system', () => {
  it('refuses Chatwoot credentials Chatwoot refuses, naming the token', async () => {
    const { call, fake } = await setup();
    const refused = await call(
      'POST',
      '/v1/admin/bots',
      {
        id: 'wrong',
        name: 'Wrong',
        channels: { web: { token: 'wrong-web-token-0123456789' } },
        support: {
          type: 'chatwoot',
          chatwoot: { ...chatwootSettingsFor(fake), userToken: 'not-the-token-0123456789' },
        },
        routing: routingTo('3'),
      },
      admin,
    );
    expect(refused.status).toBe(400);
    expect(String(refused.json.message)).toMatch(/^support\.chatwoot\.userToken: /);
    expect(refused.text).not.toContain('not-the-token-0123456789');
  });
});

describe('routing per chatbot', () => {
  it('lists each chatbot’s support teams, and checks a new routing against them', async () => {
    const { call } = await setup();
    const teams = async (bot: string) =>
      (
        (await call('GET', `/v1/admin/bots/${bot}/support/teams`, undefined, admin)).json.items as Array<{
          id: string;
          name: string;
        }>
      ).map((team) => `${team.id} ${team.name}`);
    expect(await teams('bank')).toEqual(['1 support', '2 billing', '3 orders']);
    expect(await teams('shop')).toEqual(['1 Support', '2 Billing', '3 Orders', '4 Accounts']);
    expect(await teams('default')).toEqual(['1 Support', '2 Billing', '3 Orders', '4 Accounts']);
    expect((await call('GET', '/v1/admin/bots/nobody/support/teams', undefined, admin)).status).toBe(404);

    const unknown = await call('PUT', '/v1/admin/bots/bank/routing', routingTo('4'), admin);
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toBe(
      'teams[0].team: the support system has no team 4; valid: 1 (support), 2 (billing), 3 (orders)',
    );
    const cases: Array<[unknown, string]> = [
      [{ teams: [] }, 'defaultTeam'],
      [{ defaultTeam: '1', teams: [{ team: '2', skills: ['refunds'] }] }, 'teams[0].skills[0]'],
      [
        {
          defaultTeam: '1',
          teams: [
            { team: '2', skills: ['A.B.C'] },
            { team: '3', skills: ['A.B.C'] },
          ],
        },
        'teams[1].skills[0]',
      ],
      [{ defaultTeam: '1', teams: [{ team: '2', skills: ['A.B.*'] }], extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const answer = await call('PUT', '/v1/admin/bots/bank/routing', body, admin);
      expect([field, answer.status]).toEqual([field, 400]);
      expect(String(answer.json.message).startsWith(`${field}:`), String(answer.json.message)).toBe(true);
    }
    expect((await call('PUT', '/v1/admin/bots/default/routing', routingTo('2'), admin)).json.error).toBe(
      'read_only',
    );
    expect(
      (await call('PUT', '/v1/admin/bots/bank/routing', routingTo('2'), { ...admin, 'if-match': '"7"' }))
        .status,
    ).toBe(409);
    const replaced = await call('PUT', '/v1/admin/bots/bank/routing', routingTo('2'), {
      ...admin,
      'if-match': '"1"',
    });
    expect(replaced.json).toMatchObject({
      revision: 2,
      routing: { teams: [{ team: '2', skills: ['demo.shop.OrderStatus'] }] },
    });
    // The chatbot's own channel token is valid, but not an admin token.
    expect((await call('PUT', '/v1/admin/bots/bank/routing', routingTo('2'), bearer('bank'))).status).toBe(
      403,
    );
    expect(
      (
        await call('PUT', '/v1/admin/bots/bank/routing', routingTo('2'), {
          authorization: `Bearer ${testToken}`,
        })
      ).status,
    ).toBe(403);
  });
});

describe('turning a chatbot’s support off and on', () => {
  it('closes the sessions a human holds (note for the agent, notice for the user), answers handoffs with the notice while off', async () => {
    const { botUser, call, runtime, url } = await setup();
    const alice = botUser('shop', 'alice');
    await alice.say('where is my parcel');
    await alice.say('human please');
    expect(await handedOffTeam(alice)).toBe('2');
    const conversationId = String((await alice.session()).json.conversationId);
    const shopSystem = (await runtime.servedChatbots.get('shop')).support.memory;
    await eventually(() => expect(shopSystem?.getConversation(conversationId)?.status).toBe('open'));

    const read = (await call('GET', '/v1/admin/bots/shop', undefined, admin)).json;
    const settings = settingsOf(read);
    const off = await call(
      'PUT',
      '/v1/admin/bots/shop',
      { ...settings, supportEnabled: false, supportOffNotice: 'The shop has no human support today.' },
      admin,
    );
    expect(off.status, off.text).toBe(200);
    expect(off.json).toMatchObject({ supportEnabled: false });

    // Alice is back with the bot, told so in her mailbox; the agent finds the reason in the conversation.
    expect((await alice.session()).json.mode).toBe('bot');
    const stream = await request(`${url}/v1/bots/shop/channels/web/users/alice/events?after=0`, {
      headers: bearer('shop'),
    });
    const events: string[] = [];
    stream.body.on('data', (chunk: Buffer) => events.push(chunk.toString()));
    cleanups.push(async () => stream.body.destroy());
    await eventually(() => expect(events.join('')).toContain('You are talking to the bot again.'));
    await eventually(() => {
      const conversation = shopSystem?.getConversation(conversationId);
      expect(conversation?.status).not.toBe('open');
      expect(JSON.stringify(conversation)).toContain('Support was turned off for this chatbot');
    });

    // While off, asking for a person gets the notice, and nothing reaches the support system.
    const bob = botUser('shop', 'bob');
    await bob.say('where is my parcel');
    const refused = await bob.say('human please');
    expect(refused.json.mode).toBe('bot');
    expect(refused.json.replies?.map((reply) => reply.text)).toContain(
      'The shop has no human support today.',
    );
    const currentSystem = (await runtime.servedChatbots.get('shop')).support.memory;
    expect(
      currentSystem?.listConversations().filter((conversation) => conversation.status === 'open'),
    ).toEqual([]);

    // On again: handoffs go through.
    expect(
      (await call('PUT', '/v1/admin/bots/shop', { ...settings, supportEnabled: true }, admin)).status,
    ).toBe(200);
    await bob.say('human please');
    expect(await handedOffTeam(bob)).toBe('2');
  });
});

describe('isolation between chatbots', () => {
  it('refuses one chatbot’s token on another’s routes, and the default’s on a registry chatbot’s', async () => {
    const { call } = await setup();
    const path = (bot: string) => `/v1/bots/${bot}/channels/web/users/alice/messages`;
    expect((await call('POST', path('shop'), { text: 'hi' }, bearer('shop'))).status).toBe(200);
    for (const [bot, token] of [
      ['bank', tokens.shop],
      ['shop', tokens.bank],
      ['shop', testToken],
    ] as const) {
      const answer = await call('POST', path(bot), { text: 'hi' }, { authorization: `Bearer ${token}` });
      expect([bot, answer.status, answer.json.error]).toEqual([bot, 403, 'forbidden']);
      const session = await call('GET', `/v1/bots/${bot}/channels/web/users/alice/session`, undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(session.status).toBe(403);
    }
    expect((await call('POST', path('nobody'), { text: 'hi' }, bearer('shop'))).status).toBe(404);
    // A registry chatbot's token is valid, but not for the default chatbot nor the admin API: 403.
    const onDefault = await call(
      'POST',
      '/v1/channels/web/users/alice/messages',
      { text: 'hi' },
      bearer('shop'),
    );
    expect([onDefault.status, onDefault.json.error]).toEqual([403, 'forbidden']);
    expect(onDefault.json.message).toContain('chatbot shop');
    expect(
      (await call('GET', '/v1/channels/web/users/alice/session', undefined, bearer('shop'))).status,
    ).toBe(403);
    expect((await call('GET', '/v1/admin/bots', undefined, bearer('shop'))).status).toBe(403);
    // An unknown token is still a 401.
    expect(
      (
        await call(
          'POST',
          '/v1/channels/web/users/alice/messages',
          { text: 'hi' },
          {
            authorization: 'Bearer not-a-token-of-anyone-here',
          },
        )
      ).status,
    ).toBe(401);
    // /v1/bots/default is the configuration file's chatbot, under its own tokens.
    expect(
      (await call('POST', path('default'), { text: 'hi' }, { authorization: `Bearer ${testToken}` })).status,
    ).toBe(200);
    expect((await call('POST', path('default'), { text: 'hi' }, bearer('shop'))).status).toBe(403);
  });

  it('gives each chatbot its own notice texts and locales, over the configuration’s', async () => {
    const { call } = await setup();
    const read = (await call('GET', '/v1/admin/bots/travel', undefined, admin)).json;
    const settings = settingsOf(read);
    const changed = await call(
      'PUT',
      '/v1/admin/bots/travel',
      {
        ...settings,
        notices: { handoffAccepted: 'Hang on: {team} of Travel will answer here.' },
        locales: { fr: { handoffAccepted: 'Un instant : {team} de Travel vous répond ici.' } },
      },
      admin,
    );
    expect(changed.status, changed.text).toBe(200);
    const handoffNotice = async (bot: 'shop' | 'travel', userId: string, locale?: string) => {
      const base = `/v1/bots/${bot}/channels/web/users/${userId}/messages`;
      const profile = locale === undefined ? {} : { profile: { name: userId, locale } };
      await call('POST', base, { text: 'where is my parcel', ...profile }, bearer(bot));
      const answer = await call('POST', base, { text: 'human please', ...profile }, bearer(bot));
      return answer.json.replies?.at(-1)?.text;
    };
    expect(await handoffNotice('travel', 'ann')).toBe('Hang on: Team 4 of Travel will answer here.');
    expect(await handoffNotice('travel', 'ben', 'fr-CH')).toBe(
      'Un instant : Team 4 de Travel vous répond ici.',
    );
    // Another chatbot keeps the texts of the configuration (here the defaults).
    expect(await handoffNotice('shop', 'ann', 'fr')).toBe(
      'Connecting you with Team 2. A person will answer here shortly.',
    );
    // A notice code that does not exist is a 400 naming it.
    const typo = await call(
      'PUT',
      '/v1/admin/bots/travel',
      { ...settings, notices: { handofAccepted: 'x' } },
      admin,
    );
    expect([typo.status, JSON.stringify(typo.json)]).toEqual([400, expect.stringContaining('notices')]);
  });

  it('takes a chatbot’s files with its own channel tokens only, and its users send them', async () => {
    const { url, call } = await setup();
    const upload = (path: string, authorization: string) =>
      request(`${url}${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'text/plain', 'x-file-name': 'receipt.txt' },
        body: 'order 5521, paid',
      });
    const own = await upload('/v1/bots/shop/files', `Bearer ${tokens.shop}`);
    expect(own.statusCode).toBe(201);
    const attachment = (await own.body.json()) as { url: string; name: string };
    expect(attachment.name).toBe('receipt.txt');
    for (const [path, token, status] of [
      ['/v1/bots/shop/files', tokens.bank, 403],
      ['/v1/bots/bank/files', tokens.shop, 403],
      ['/v1/files', tokens.shop, 403],
      ['/v1/bots/nobody/files', tokens.shop, 404],
      ['/v1/bots/default/files', testToken, 201],
    ] as const) {
      const answer = await upload(path, `Bearer ${token}`);
      await answer.body.dump();
      expect([path, token === tokens.shop ? 'shop' : token, answer.statusCode]).toEqual([
        path,
        token === tokens.shop ? 'shop' : token,
        status,
      ]);
    }
    const sent = await call(
      'POST',
      '/v1/bots/shop/channels/web/users/alice/messages',
      {
        text: 'my receipt',
        attachments: [{ url: attachment.url, contentType: 'text/plain', name: 'receipt.txt' }],
      },
      bearer('shop'),
    );
    expect(sent.status, sent.text).toBe(200);
  });

  it('keeps users of the same channel and id apart: sessions, mailboxes and event streams', async () => {
    const { botUser, url, runtime } = await setup();
    const shopAlice = botUser('shop', 'alice');
    const travelAlice = botUser('travel', 'alice');
    await shopAlice.say('where is my parcel');
    await shopAlice.say('human please');
    expect(await handedOffTeam(shopAlice)).toBe('2');
    expect((await travelAlice.session()).status).toBe(404);
    await travelAlice.say('hello');
    const listen = async (bot: 'shop' | 'travel') => {
      const stream = await request(`${url}/v1/bots/${bot}/channels/web/users/alice/events?after=0`, {
        headers: bearer(bot),
      });
      const chunks: string[] = [];
      stream.body.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
      cleanups.push(async () => stream.body.destroy());
      return chunks;
    };
    const [shopEvents, travelEvents] = [await listen('shop'), await listen('travel')];
    // The shop's agent answers its alice; travel's alice, same channel and id, hears nothing of it.
    const shopSystem = (await runtime.servedChatbots.get('shop')).support.memory;
    const conversationId = String((await shopAlice.session()).json.conversationId);
    shopSystem?.reply(conversationId, { text: 'Anna here, for the shop' });
    await eventually(() => expect(shopEvents.join('')).toContain('Anna here, for the shop'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(travelEvents.join('')).toContain(': connected');
    expect(travelEvents.join('')).not.toContain('event: message');
    expect(await runtime.stores.mailbox.after('web/alice', 0)).toEqual([]);
  });

  it('refuses on one chatbot’s webhook route a webhook signed with another’s secret', async () => {
    const { runtime, url } = await setup();
    const shopSecret = await runtime.stores.installationSecret('chatbot-shop-memory-support-webhook-secret');
    const body = JSON.stringify({
      event: 'conversation.status_changed',
      conversation: { id: '404', status: 'resolved', attributes: {} },
    });
    const signed = () => {
      const timestamp = Math.floor(Date.now() / 1000);
      return {
        'content-type': 'application/json',
        'x-memory-delivery': crypto.randomUUID(),
        'x-memory-timestamp': String(timestamp),
        'x-memory-signature': signTimestampedBody({ secret: shopSecret, timestamp, body }),
      };
    };
    const onTravel = await request(`${url}/v1/bots/travel/support/webhook`, {
      method: 'POST',
      headers: signed(),
      body,
    });
    expect(onTravel.statusCode).toBe(401);
    expect(await onTravel.body.json()).toMatchObject({ error: 'invalid_signature' });
    const onShop = await request(`${url}/v1/bots/shop/support/webhook`, {
      method: 'POST',
      headers: signed(),
      body,
    });
    expect(onShop.statusCode).toBe(200);
    await onShop.body.dump();
  });
});
