import { createMemoryReplayGuard, type SupportAdapter } from '@handoff/core';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatwootAgentBot } from '../src/chatwoot-agent-bot.js';
import { resolveChatwootSettings } from '../src/chatwoot-settings.js';
import {
  type ChatwootBotHostHarness,
  type ChatwootHarness,
  chatwootAgentBotSettingsFor,
  createChatwootBotHostHarness,
  createChatwootHarness,
} from '../src/testing/index.js';
import { chatwootAdapterFor } from './chatwoot-target.js';

// What a read of Chatwoot v4.15.1's code showed breaking the main handoff against the real server,
// each pinned by a test that failed before the fix (the fake now answers as Chatwoot does).

const closers: Array<{ close?: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((closer) => closer.close?.()));
});

async function external(settings: Parameters<typeof createChatwootHarness>[0] = {}) {
  const harness = await createChatwootHarness(settings);
  closers.push(harness);
  return { harness, adapter: chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }) };
}

async function opened(adapter: SupportAdapter, extra: Record<string, string | number | boolean> = {}) {
  const { supportUserId } = await adapter.ensureUser({ user: { id: `user-${Math.random()}` } });
  return adapter.openConversation({ supportUserId, sessionId: 's-1', handoffId: 'h-1', attributes: extra });
}

/** Calls the fake as a person in Chatwoot's UI would. */
async function asPerson(harness: ChatwootHarness, token: string, path: string, body: unknown) {
  const response = await request(`${harness.fake.baseUrl}/api/v1/accounts/${harness.fake.accountId}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', api_access_token: token, 'x-fake-chatwoot-harness': '1' },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, body: await response.body.json() };
}

describe('Chatwoot 4.15.1 as it really answers', () => {
  it('a transfer with the bot token succeeds although toggle_status answers "success": null', async () => {
    const { harness, adapter } = await external();
    const { conversationId } = await opened(adapter);
    await expect(adapter.transfer({ conversationId, team: '2', note: 'Routing: billing' })).resolves.toEqual({
      team: { id: '2', name: 'billing' },
    });
    const toggle = harness.fake.requests.find((entry) => entry.path.endsWith('/toggle_status'));
    expect(toggle?.response?.body).toMatchObject({ payload: { success: null, current_status: 'open' } });
    expect(harness.fake.conversation(Number(conversationId))?.status).toBe('open');
  });

  it('opens a conversation whose attributes Chatwoot would refuse: long text cut, a large integer as text', async () => {
    const { harness, adapter } = await external();
    const reason = 'x'.repeat(3_000);
    const { conversationId } = await opened(adapter, {
      handoff_reason: reason,
      requested_at: 1_781_950_502_410,
    });
    const stored = harness.fake.conversation(Number(conversationId))?.additionalAttributes ?? {};
    expect([...String(stored.handoff_reason)]).toHaveLength(1_500);
    expect(stored.requested_at).toBe('1781950502410');
    // The fake refuses what Chatwoot's validator refuses.
    const contact = harness.fake.contacts()[0]?.id;
    const refused = await asPerson(harness, harness.fake.tokens.admin, '/conversations', {
      inbox_id: harness.fake.inboxId,
      contact_id: contact,
      additional_attributes: { handoff_reason: 'y'.repeat(1_501) },
    });
    expect(refused).toEqual({
      status: 422,
      body: {
        message: 'Additional attributes handoff_reason length should be < 1500',
        attributes: ['additional_attributes'],
      },
    });
  });

  it('posts a message of 75,001 emoji: Chatwoot counts 150,000 characters as Ruby does (code points)', async () => {
    const { harness, adapter } = await external();
    const { conversationId } = await opened(adapter);
    const text = '😀'.repeat(75_001);
    const result = await adapter.postMessages({
      conversationId,
      messages: [{ id: 'emoji', author: 'user', text, createdAt: new Date().toISOString() }],
    });
    expect(result.posted).toHaveLength(1);
    expect(
      harness.fake.conversation(Number(conversationId))?.messages.some((message) => message.content === text),
    ).toBe(true);
  });

  it('says in the settings which releases sign which webhooks', () => {
    expect(() =>
      resolveChatwootSettings({
        baseUrl: 'https://cw.example',
        accountId: 1,
        inboxId: 3,
        userToken: 't',
        env: {},
      }),
    ).toThrow(/before Chatwoot 4\.13\.0, or any webhook before 4\.11\.2/);
    expect(() =>
      resolveChatwootSettings({
        baseUrl: 'https://cw.example',
        accountId: 1,
        inboxId: 3,
        userToken: 't',
        webhookSecret: 's',
        chatwootVersion: '4.11.0',
        env: {},
      }),
    ).toThrow(/allowUnsignedWebhooks: must be true: Chatwoot 4\.11\.0 signs no webhook/);
    expect(() =>
      resolveChatwootSettings({
        baseUrl: 'https://cw.example',
        accountId: 1,
        inboxId: 3,
        userToken: 't',
        webhookSecret: 's',
        chatwootVersion: '4.9',
        env: {},
      }),
    ).toThrow(/chatwootVersion: is not supported: 4\.9 is older than 4\.11\.0/);
  });
});

describe('Chatwoot 4.15.1 agent bot as it really answers', () => {
  async function internal(withUserToken: boolean) {
    const harness: ChatwootBotHostHarness = await createChatwootBotHostHarness({
      botWebhookRetryDelayMs: 10,
    });
    closers.push(harness);
    const bot = createChatwootAgentBot({
      ...chatwootAgentBotSettingsFor(harness.fake),
      ...(withUserToken ? {} : { userToken: undefined }),
      replayGuard: createMemoryReplayGuard(),
      env: {},
    });
    return { harness, bot };
  }

  for (const withUserToken of [true, false]) {
    it(`replies in a conversation an agent handed back after a handoff to a team (${withUserToken ? 'user token' : 'bot token only'})`, async () => {
      const { harness, bot } = await internal(withUserToken);
      const { conversationId, requests } = await harness.contactWrites({ identifier: 'c-1' }, 'Hi');
      for (const delivery of requests) await bot.handleBotWebhook(delivery);
      await bot.handOff({ conversationId, team: '2', note: 'to billing' });
      // A bot reading a conversation that has a team gets 500 (`_team.json.jbuilder`).
      const read = await request(
        `${harness.fake.baseUrl}/api/v1/accounts/1/conversations/${conversationId}`,
        {
          headers: { api_access_token: harness.fake.tokens.bot },
        },
      );
      expect(read.statusCode).toBe(500);
      await read.body.dump();
      for (const delivery of await harness.handBackToBot(conversationId))
        await bot.handleBotWebhook(delivery);
      const result = await bot.replyAsBot({
        conversationId,
        messages: [{ id: 'r-1', author: 'bot', text: 'Back with you', createdAt: new Date().toISOString() }],
      });
      expect(result.delivered).toBe(true);
      expect(
        (await harness.getConversation(conversationId))?.messages.map((message) => message.text),
      ).toContain('Back with you');
    });
  }

  it('takes a delivery Chatwoot sends again after a failed answer (same X-Chatwoot-Delivery)', async () => {
    const { harness, bot } = await internal(true);
    const { requests } = await harness.contactWrites({ identifier: 'c-2' }, 'Hello');
    const [delivery] = requests;
    if (delivery === undefined) throw new Error('no bot webhook');
    const first = await bot.handleBotWebhook(delivery);
    const retried = await bot.handleBotWebhook(delivery);
    expect(retried.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
  });

  it('without a user token, stays silent once the webhooks said a human took the conversation', async () => {
    const { harness, bot } = await internal(false);
    const { conversationId, requests } = await harness.contactWrites({ identifier: 'c-3' }, 'Hello');
    for (const delivery of requests) await bot.handleBotWebhook(delivery);
    for (const delivery of await harness.agentTakes(conversationId)) await bot.handleBotWebhook(delivery);
    const result = await bot.replyAsBot({
      conversationId,
      messages: [{ id: 'r-2', author: 'bot', text: 'Too late', createdAt: new Date().toISOString() }],
    });
    expect(result).toEqual({ delivered: false, posted: [] });
  });
});
