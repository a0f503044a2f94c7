import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSunshine, startFakeSunshine } from './fake-sunshine-server.js';

let fake: FakeSunshine | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function post(server: FakeSunshine, path: string, body: unknown) {
  const response = await request(`${server.url}/v2/apps/${server.appId}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${server.keyId}:${server.keySecret}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

async function conversationOf(server: FakeSunshine) {
  const created = await post(server, '/users', { externalId: `u-${Math.random()}` });
  const user = created.body.user as { id: string };
  const opened = await post(server, '/conversations', {
    type: 'personal',
    participants: [{ userId: user.id }],
  });
  return (opened.body.conversation as { id: string }).id;
}

describe('the fake switchboard actions, as the spec words them', () => {
  it('names a switchboard integration by id, name or integrationType, and `next`; an unknown one is 404', async () => {
    fake = await startFakeSunshine();
    const id = await conversationOf(fake);
    const ours = fake.ourSwitchboardIntegration;
    for (const reference of [ours.id, ours.name, 'custom']) {
      expect(
        (await post(fake, `/conversations/${id}/passControl`, { switchboardIntegration: reference })).status,
      ).toBe(200);
      expect(fake.conversation(id)?.activeSwitchboardIntegrationId).toBe(ours.id);
    }
    await post(fake, `/conversations/${id}/passControl`, { switchboardIntegration: 'next' });
    expect(fake.conversation(id)?.activeSwitchboardIntegrationId).toBe(fake.agentWorkspaceIntegration.id);
    expect(
      await post(fake, `/conversations/${id}/passControl`, { switchboardIntegration: 'zd:nothing' }),
    ).toEqual({
      status: 404,
      body: {
        errors: [{ code: 'switchboard_integration_not_found', title: 'SwitchboardIntegration not found' }],
      },
    });
    expect((await post(fake, `/conversations/${id}/passControl`, {})).status).toBe(400);
  });

  it('offers and accepts control; accepting with nothing offered is 403; an unknown conversation is 404', async () => {
    fake = await startFakeSunshine();
    const id = await conversationOf(fake);
    await post(fake, `/conversations/${id}/passControl`, {
      switchboardIntegration: fake.ourSwitchboardIntegration.id,
    });
    expect((await post(fake, `/conversations/${id}/acceptControl`, {})).status).toBe(403);
    await post(fake, `/conversations/${id}/offerControl`, { switchboardIntegration: 'zd:agentWorkspace' });
    expect(fake.conversation(id)?.pendingSwitchboardIntegrationId).toBe(fake.agentWorkspaceIntegration.id);
    await post(fake, `/conversations/${id}/acceptControl`, {});
    expect(fake.conversation(id)).toMatchObject({
      activeSwitchboardIntegrationId: fake.agentWorkspaceIntegration.id,
      pendingSwitchboardIntegrationId: undefined,
    });
    expect(fake.ticketOf(id)).toBeDefined();
    expect(await post(fake, '/conversations/5e552ef595e5206375bb835d/releaseControl', {})).toEqual({
      status: 404,
      body: { errors: [{ code: 'conversation_not_found', title: 'Conversation not found' }] },
    });
  });

  it('refuses metadata that is not flat or over 4 KB, and texts over 4096 characters', async () => {
    fake = await startFakeSunshine();
    const id = await conversationOf(fake);
    const nested = await post(fake, `/conversations/${id}/passControl`, {
      switchboardIntegration: 'next',
      metadata: { nested: { no: true } },
    });
    expect(nested.status).toBe(400);
    const big = await post(fake, `/conversations/${id}/releaseControl`, {
      metadata: { big: 'x'.repeat(4100) },
    });
    expect(big.status).toBe(400);
    const long = await post(fake, `/conversations/${id}/messages`, {
      author: { type: 'business' },
      content: { type: 'text', text: 'x'.repeat(4097) },
    });
    expect(long.status).toBe(400);
    const stranger = await post(fake, `/conversations/${id}/messages`, {
      author: { type: 'user', userId: '5963c0d619a30a2e00de36b8' },
      content: { type: 'text', text: 'hi' },
    });
    expect(stranger.status).toBe(400);
  });

  it('routes a new ticket to no group without the tag, and a message nobody holds to the default integration', async () => {
    fake = await startFakeSunshine();
    const id = await conversationOf(fake);
    const user = fake.conversation(id)?.participants[0];
    await post(fake, `/conversations/${id}/messages`, {
      author: { type: 'user', userId: user },
      content: { type: 'text', text: 'hi' },
    });
    expect(fake.conversation(id)?.activeSwitchboardIntegrationId).toBe(fake.agentWorkspaceIntegration.id);
    expect(fake.ticketOf(id)).toMatchObject({ groupId: undefined, tags: [] });
  });
});
