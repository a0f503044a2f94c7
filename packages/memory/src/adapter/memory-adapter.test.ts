import { ConfigurationError, WebhookVerificationError } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { describe, expect, it } from 'vitest';
import { createMemorySupportSystem } from '../system/memory-support-system.js';
import { createMemoryAdapter } from './memory-adapter.js';

const secrets = {
  apiToken: 'memory-api-token-of-the-tests',
  webhookSecret: 'memory-webhook-secret-of-the-tests',
};
const system = () => createMemorySupportSystem(secrets);
const systemCredentials = () => secrets;

function signed(body: string, headers: Record<string, string> = {}) {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    headers: {
      'x-memory-timestamp': String(timestamp),
      'x-memory-signature': signTimestampedBody({ secret: secrets.webhookSecret, timestamp, body }),
      'x-memory-delivery': crypto.randomUUID(),
      ...headers,
    },
    body,
  };
}

describe('memory adapter', () => {
  it('refuses bad settings, naming the field', () => {
    const system = createMemorySupportSystem();
    expect(() => createMemoryAdapter({ system, apiToken: '', webhookSecret: 'short' })).toThrow(/apiToken/);
    expect(() => createMemoryAdapter({ system, ...system.credentials, requestTimeoutMs: -5 })).toThrow(
      ConfigurationError,
    );
    expect(() => createMemoryAdapter({ system, ...system.credentials, requestTimeoutMs: -5 })).toThrow(
      /requestTimeoutMs/,
    );
  });

  it('ignores an event type it does not know instead of failing', async () => {
    const adapter = createMemoryAdapter({ system: system(), ...systemCredentials() });
    const result = await adapter.handleWebhook(
      signed(JSON.stringify({ event: 'conversation.snoozed', conversation: { id: '1' } })),
    );
    expect(result.events).toEqual([]);
  });

  it('refuses a signed body that is not JSON as malformed', async () => {
    const adapter = createMemoryAdapter({ system: system(), ...systemCredentials() });
    const error = await adapter.handleWebhook(signed('{"event":')).catch((caught: unknown) => caught);
    expect(WebhookVerificationError.isInstance(error) && error.reason).toBe('malformed_body');
  });

  it('reports the session id the conversation carries', async () => {
    const system = createMemorySupportSystem();
    const adapter = createMemoryAdapter({ system, ...system.credentials });
    const events: unknown[] = [];
    system.subscribe(async (request) => {
      events.push(...(await adapter.handleWebhook(request)).events);
    });
    const { supportUserId } = await adapter.ensureUser({ user: { id: 'u-1' } });
    const { conversationId } = await adapter.openConversation({
      supportUserId,
      sessionId: 'session-9',
      handoffId: 'h-9',
    });
    system.reply(conversationId, { text: 'hi' });
    await system.idle();
    expect(events).toMatchObject([{ type: 'agent.message', conversationId, sessionId: 'session-9' }]);
  });
});
