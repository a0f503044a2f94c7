import type { FakeChatwoot } from '@handoff/chatwoot/testing';
import { request } from 'undici';

/**
 * An agent's reply in a conversation of the fake Chatwoot, posted through its API as the agent
 * would from the dashboard (the fake then sends the webhook). Returns the Chatwoot message id.
 */
export async function agentSays(fake: FakeChatwoot, conversationId: number, text: string): Promise<number> {
  const response = await request(
    `${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/messages`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        api_access_token: fake.tokens.agent,
        'x-fake-chatwoot-harness': '1',
      },
      body: JSON.stringify({ content: text, message_type: 'outgoing' }),
    },
  );
  const body = (await response.body.json()) as { id: number };
  return body.id;
}

/** An agent resolving a conversation of the fake Chatwoot from the dashboard (the fake sends the webhooks). */
export async function agentResolves(fake: FakeChatwoot, conversationId: number): Promise<void> {
  const response = await request(
    `${fake.baseUrl}/api/v1/accounts/${fake.accountId}/conversations/${conversationId}/toggle_status`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        api_access_token: fake.tokens.agent,
        'x-fake-chatwoot-harness': '1',
      },
      body: JSON.stringify({ status: 'resolved' }),
    },
  );
  await response.body.dump();
  if (response.statusCode !== 200)
    throw new Error(`resolving conversation ${conversationId}: HTTP ${response.statusCode}`);
}
