import type { WebhookRequest } from '@handoff/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSunshineBotHostHarness, type SunshineBotHostHarness } from './sunshine-bot-host-harness.js';

let harness: SunshineBotHostHarness | undefined;
afterEach(async () => {
  await harness?.close?.();
  harness = undefined;
});

const eventsOf = (requests: readonly WebhookRequest[]) =>
  requests.flatMap(
    (request) =>
      (JSON.parse(request.body) as { events: Array<{ type: string; payload: Record<string, unknown> }> })
        .events,
  );

describe('the Sunshine Conversations bot-host harness (Zendesk owns the channel)', () => {
  it('follows the switchboard: bot first, agent takes, hand back, solve releases, the next message goes to the bot', async () => {
    harness = await createSunshineBotHostHarness();
    const { fake } = harness;
    const first = await harness.contactWrites({ identifier: 'c-1', name: 'Chris' }, 'hello');
    expect(first.requests[0]?.headers['x-api-key']).toBe(fake.webhookSecret);
    const [message] = eventsOf(first.requests);
    expect(message?.type).toBe('conversation:message');
    expect(message?.payload.conversation).toMatchObject({
      activeSwitchboardIntegration: { id: fake.ourSwitchboardIntegration.id },
    });
    expect((await harness.getConversation(first.conversationId))?.holder).toBe('bot');

    const taken = eventsOf(await harness.agentTakes(first.conversationId));
    expect(taken.map((event) => event.type)).toEqual(['switchboard:passControl']);
    expect((await harness.getConversation(first.conversationId))?.holder).toBe('human');

    // Standby delivery: the bot still hears the contact while the agent holds the conversation.
    const standby = await harness.contactWrites({ identifier: 'c-1' }, 'still there?');
    expect(standby.conversationId).toBe(first.conversationId);
    expect(eventsOf(standby.requests)[0]?.payload.conversation).toMatchObject({
      activeSwitchboardIntegration: { integrationType: 'zd:agentWorkspace' },
    });

    const solved = eventsOf(await harness.resolve(first.conversationId));
    expect(solved).toMatchObject([
      { type: 'switchboard:releaseControl', payload: { reason: 'ticketClosed' } },
    ]);
    expect((await harness.getConversation(first.conversationId))?.holder).toBe('closed');

    await harness.contactWrites({ identifier: 'c-1' }, 'one more thing');
    expect((await harness.getConversation(first.conversationId))?.holder).toBe('bot');

    await harness.agentTakes(first.conversationId);
    const back = eventsOf(await harness.handBackToBot(first.conversationId));
    expect(back[0]?.payload.conversation).toMatchObject({
      activeSwitchboardIntegration: { id: fake.ourSwitchboardIntegration.id },
    });
  });

  it('sends no standby events when deliverStandbyEvents is off', async () => {
    harness = await createSunshineBotHostHarness({ deliverStandbyEvents: false });
    const first = await harness.contactWrites({ identifier: 'c-2' }, 'hello');
    await harness.agentTakes(first.conversationId);
    const standby = await harness.contactWrites({ identifier: 'c-2' }, 'anyone?');
    expect(standby.requests).toEqual([]);
  });
});
