import { SupportError } from '@handoff/core';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { chatwootCapabilities, type createChatwootAdapter } from '../src/chatwoot-adapter.js';
import type { ChatwootSettings } from '../src/chatwoot-settings.js';
import { type ChatwootHarness, createChatwootHarness } from '../src/testing/index.js';
import { chatwootAdapterFor, chatwootAdapterOnMockAgent } from './chatwoot-target.js';

const harnesses: ChatwootHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close?.()));
});

async function setup(overrides: Partial<ChatwootSettings> = {}) {
  const harness = await createChatwootHarness();
  harnesses.push(harness);
  const adapter = chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }, overrides);
  return { harness, fake: harness.fake, adapter };
}

const verify = async (adapter: ReturnType<typeof createChatwootAdapter>) => {
  if (adapter.verifySettings === undefined) throw new Error('the Chatwoot adapter has no verifySettings');
  return adapter.verifySettings();
};

const fields = (issues: ReadonlyArray<{ field: string }>) => issues.map((issue) => issue.field);

describe('Chatwoot adapter: verifySettings', () => {
  it('says so in its capabilities', () => {
    expect(chatwootCapabilities.settingsCheck).toBe(true);
  });

  it('finds nothing wrong with good settings, asking profile, inbox and agent bot', async () => {
    const { fake, adapter } = await setup();
    expect(await verify(adapter)).toEqual([]);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/v1/profile',
      `GET /api/v1/accounts/${fake.accountId}/inboxes/${fake.inboxId}`,
      `GET /api/v1/accounts/${fake.accountId}/agent_bots/${fake.agentBotId}`,
    ]);
    // Every check goes out with the user token, never the bot's.
    expect(new Set(fake.requests.map((request) => request.headers.api_access_token))).toEqual(
      new Set([fake.tokens.admin]),
    );
  });

  it('accepts an agent who is a member of the inbox', async () => {
    const { fake, adapter } = await setup({ userToken: 'anna-token' });
    expect(fake.tokens.agent).toBe('anna-token');
    expect(await verify(adapter)).toEqual([]);
  });

  it('reports a token Chatwoot does not know on userToken, and asks nothing more', async () => {
    const { fake, adapter } = await setup({ userToken: 'not-a-token' });
    const issues = await verify(adapter);
    expect(fields(issues)).toEqual(['userToken']);
    expect(issues[0]?.message).toMatch(/not accepted/);
    expect(issues[0]?.message).not.toContain('not-a-token');
    expect(fake.requests).toHaveLength(1);
  });

  it("reports an agent bot's token given as the user token on userToken", async () => {
    const { fake, adapter } = await setup({ userToken: 'bot-token' });
    expect(fake.tokens.bot).toBe('bot-token');
    const issues = await verify(adapter);
    expect(fields(issues)).toEqual(['userToken']);
    expect(issues[0]?.message).toMatch(/agent bot's token/);
  });

  it('reports an account the token has no access to on accountId', async () => {
    const { adapter } = await setup({ accountId: 99 });
    const issues = await verify(adapter);
    expect(fields(issues)).toEqual(['accountId']);
    expect(issues[0]?.message).toContain('no account 99 (their accounts: 1)');
  });

  it('reports a suspended account on accountId', async () => {
    const { fake, adapter } = await setup();
    fake.setAccountStatus('suspended');
    expect(fields(await verify(adapter))).toEqual(['accountId']);
  });

  it('reports an inbox the account does not have on inboxId', async () => {
    const { adapter } = await setup({ inboxId: 42 });
    const issues = await verify(adapter);
    expect(issues).toEqual([{ field: 'inboxId', message: 'account 1 has no inbox 42' }]);
  });

  it('reports an inbox that locks contacts to one conversation on inboxId', async () => {
    const { fake, adapter } = await setup();
    fake.setInbox({ lockToSingleConversation: true });
    const issues = await verify(adapter);
    expect(fields(issues)).toEqual(['inboxId']);
    expect(issues[0]?.message).toMatch(/single conversation/);
  });

  it('reports an unknown agent bot on agentBotId', async () => {
    const { adapter } = await setup({ agentBotId: 77 });
    expect(await verify(adapter)).toEqual([
      { field: 'agentBotId', message: 'account 1 has no agent bot 77' },
    ]);
  });

  it('throws a retryable SupportError when Chatwoot fails, instead of blaming a field', async () => {
    const { fake, adapter } = await setup();
    fake.injectFault({ kind: 'server_error' });
    const error = await verify(adapter).catch((caught: unknown) => caught);
    expect(SupportError.isInstance(error) && [error.code, error.retryable]).toEqual(['unavailable', true]);
  });

  it('reports an inbox of another channel on inboxId (the adapter needs an API inbox)', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const chatwoot = agent.get('https://chatwoot.test');
    chatwoot
      .intercept({ path: '/api/v1/profile', method: 'GET' })
      .reply(200, { id: 1, accounts: [{ id: 1, status: 'active', role: 'administrator' }] });
    // `_inbox.json.jbuilder` renders `channel_type` from the inbox's channel.
    chatwoot
      .intercept({ path: '/api/v1/accounts/1/inboxes/3', method: 'GET' })
      .reply(200, { id: 3, channel_type: 'Channel::WebWidget', lock_to_single_conversation: false });
    const adapter = chatwootAdapterOnMockAgent(agent);
    const issues = await verify(adapter);
    expect(fields(issues)).toEqual(['inboxId']);
    expect(issues[0]?.message).toContain('Channel::WebWidget');
  });
});
