import type { WebhookRequest } from '@handoff/core';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeSunshine, startFakeSunshine } from './fake-sunshine-server.js';

let fake: FakeSunshine | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function call(
  server: FakeSunshine,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  auth?: string,
) {
  const zendesk = path.startsWith('/api/');
  const response = await request(
    `${zendesk ? server.zendeskUrl : `${server.url}/v2/apps/${server.appId}`}${path}`,
    {
      method,
      headers: {
        authorization:
          auth ??
          (zendesk
            ? basic(`${server.zendeskEmail}/token`, server.zendeskApiToken)
            : basic(server.keyId, server.keySecret)),
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
  );
  // biome-ignore lint/suspicious/noExplicitAny: the tests read the answers' JSON as the spec describes it
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, any> };
}

describe('the fake Sunshine Conversations', () => {
  it('refuses a wrong key with the spec error body, and answers 409 for a taken externalId', async () => {
    fake = await startFakeSunshine();
    const refused = await call(fake, 'GET', '/switchboards', undefined, basic(fake.keyId, 'wrong-secret'));
    expect(refused).toEqual({
      status: 401,
      body: { errors: [{ code: 'unauthorized', title: 'Authorization is required' }] },
    });
    expect((await call(fake, 'POST', '/users', { externalId: 'u-1' })).status).toBe(201);
    const conflict = await call(fake, 'POST', '/users', { externalId: 'u-1' });
    expect(conflict).toEqual({
      status: 409,
      body: { errors: [{ code: 'conflict', title: 'User already exists' }] },
    });
    const byExternalId = await call(fake, 'GET', '/users/u-1');
    expect(byExternalId.body.user.externalId).toBe('u-1');
  });

  it('makes a ticket on passControl to the Agent Workspace, routed by the customer trigger, and sends X-API-Key webhooks', async () => {
    fake = await startFakeSunshine();
    const deliveries: WebhookRequest[] = [];
    fake.onWebhook((delivery) => {
      deliveries.push(delivery);
    });
    const { body: created } = await call(fake, 'POST', '/users', { externalId: 'u-2' });
    const { body: opened } = await call(fake, 'POST', '/conversations', {
      type: 'personal',
      participants: [{ userId: created.user.id }],
    });
    const conversationId = opened.conversation.id as string;
    const [group] = fake.groups();
    expect(
      (
        await call(fake, 'POST', `/conversations/${conversationId}/passControl`, {
          switchboardIntegration: 'zd:agentWorkspace',
          metadata: { 'dataCapture.systemField.tags': `handoff_group_${group?.id} vip` },
        })
      ).status,
    ).toBe(200);
    expect(fake.ticketOf(conversationId)).toMatchObject({
      groupId: group?.id,
      tags: [`handoff_group_${group?.id}`, 'vip'],
    });
    const { body: read } = await call(fake, 'GET', `/conversations/${conversationId}`);
    expect(read.conversation.activeSwitchboardIntegration.integrationType).toBe('zd:agentWorkspace');
    await fake.idle();
    const delivery = deliveries.at(-1);
    expect(delivery?.headers['x-api-key']).toBe(fake.webhookSecret);
    const payload = JSON.parse(delivery?.body ?? '{}');
    expect(payload.events[0].type).toBe('switchboard:passControl');

    // The agent solves the ticket: the Agent Workspace releases the conversation (reason ticketClosed).
    const ticket = fake.ticketOf(conversationId);
    await call(fake, 'PUT', `/api/v2/tickets/${ticket?.id}`, { ticket: { status: 'solved' } });
    await fake.idle();
    const released = JSON.parse(deliveries.at(-1)?.body ?? '{}');
    expect(released.events[0]).toMatchObject({
      type: 'switchboard:releaseControl',
      payload: { reason: 'ticketClosed' },
    });
    expect(released.events[0].payload.conversation.activeSwitchboardIntegration).toBeUndefined();
  });

  it('pages groups with a cursor and messages backwards, 100 a page', async () => {
    fake = await startFakeSunshine();
    const first = await call(fake, 'GET', '/api/v2/groups?page[size]=2');
    expect(first.body.groups).toHaveLength(2);
    expect(first.body.meta.has_more).toBe(true);
    const second = await call(
      fake,
      'GET',
      `/api/v2/groups?page[size]=2&page[after]=${first.body.meta.after_cursor}`,
    );
    expect(second.body.meta.has_more).toBe(false);
    const { body: created } = await call(fake, 'POST', '/users', { externalId: 'u-3' });
    const { body: opened } = await call(fake, 'POST', '/conversations', {
      type: 'personal',
      participants: [{ userId: created.user.id }],
    });
    const path = `/conversations/${opened.conversation.id}/messages`;
    for (let index = 0; index < 105; index += 1)
      await call(fake, 'POST', path, {
        author: { type: 'business' },
        content: { type: 'text', text: `m${index}` },
      });
    const latest = await call(fake, 'GET', path);
    expect(latest.body.messages).toHaveLength(100);
    expect(latest.body.messages[0].content.text).toBe('m5');
    expect(latest.body.meta.hasMore).toBe(true);
    const earlier = await call(fake, 'GET', `${path}?page[before]=${latest.body.meta.beforeCursor}`);
    expect(
      earlier.body.messages.map((message: { content: { text: string } }) => message.content.text),
    ).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(earlier.body.meta.hasMore).toBe(false);
  });
});
