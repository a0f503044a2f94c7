import { supportEventSchema, WebhookVerificationError } from '@handoff/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSunshineAdapter } from '../sunshine-adapter.js';

const secret = 'webhook-secret-canary';
const adapter = () =>
  createSunshineAdapter({
    baseUrl: 'https://acme.zendesk.test/sc',
    appId: 'app1',
    keyId: 'app_key',
    keySecret: 'key-secret-canary',
    webhookSecret: secret,
    integrationId: 'integration-ours',
    zendeskUrl: 'https://acme.zendesk.test',
    zendeskEmail: 'bot@acme.test',
    zendeskApiToken: 'zendesk-token-canary',
    env: {},
  });

/** Events shaped like Sunshine Conversations' (any field may be anything). */
const eventArbitrary = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1 }), fc.constant(''), fc.integer()),
    type: fc.constantFrom(
      'conversation:message',
      'conversation:typing',
      'switchboard:passControl',
      'switchboard:releaseControl',
      'conversation:read',
      'user:merge',
    ),
    createdAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
      fc.string(),
    ),
    payload: fc.oneof(
      fc.anything(),
      fc.record({
        conversation: fc.record({ id: fc.oneof(fc.string({ minLength: 1 }), fc.integer()) }),
        message: fc.record({
          id: fc.string({ minLength: 1 }),
          author: fc.record({
            type: fc.constantFrom('business', 'user', 'other'),
            subtypes: fc.option(fc.array(fc.constantFrom('AI', 'agent', 'bot', 'activity'))),
          }),
          content: fc.record({
            type: fc.constantFrom('text', 'image', 'file'),
            text: fc.option(fc.string()),
          }),
          metadata: fc.option(fc.dictionary(fc.string(), fc.jsonValue())),
        }),
        activity: fc.record({
          type: fc.constantFrom('typing:start', 'typing:stop', 'conversation:read'),
          author: fc.record({ type: fc.constantFrom('business', 'user') }),
        }),
        reason: fc.option(fc.constantFrom('ticketClosed', 'transferToEmail', 'other')),
      }),
    ),
  },
  { requiredKeys: [] },
);

describe('Sunshine webhook parsing (property)', () => {
  it('never throws anything but a WebhookVerificationError, and every event it gives is a valid event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((value) => JSON.stringify(value)),
          fc
            .record({ app: fc.anything(), events: fc.array(eventArbitrary, { maxLength: 5 }) })
            .map((value) => JSON.stringify(value)),
        ),
        fc.boolean(),
        async (body, withSecret) => {
          try {
            const result = await adapter().handleWebhook({
              headers: withSecret ? { 'x-api-key': secret } : {},
              body,
            });
            expect(withSecret).toBe(true);
            for (const event of result.events) expect(supportEventSchema.safeParse(event).success).toBe(true);
            expect(new Set(result.events.map((event) => event.id)).size).toBe(result.events.length);
          } catch (error) {
            expect(error).toBeInstanceOf(WebhookVerificationError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never reports a message carrying our metadata as an agent message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('handoff_message_id', 'handoff_note_id'),
        fc.string({ minLength: 1 }),
        fc.string(),
        async (key, value, text) => {
          const body = JSON.stringify({
            events: [
              {
                id: `e-${value}`,
                type: 'conversation:message',
                payload: {
                  conversation: { id: 'conv1' },
                  message: {
                    id: 'm1',
                    author: { type: 'business' },
                    content: { type: 'text', text },
                    metadata: { [key]: value },
                  },
                },
              },
            ],
          });
          const result = await adapter().handleWebhook({ headers: { 'x-api-key': secret }, body });
          expect(result.events).toEqual([]);
        },
      ),
    );
  });
});
