import {
  createRocketChatBotHostHarness,
  createRocketChatHarness,
  type RocketChatBotHostHarness,
  type RocketChatHarness,
  rocketChatBotAgentSettingsFor,
  rocketChatSettingsFor,
} from '@handoff/rocketchat/testing';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../support/cleanups.js';
import { runExternalModeScenario } from '../support/external-mode-scenario.js';
import { runInternalModeScenario } from '../support/internal-mode-scenario.js';
import { startRuntime } from '../support/runtime-test-kit.js';
import { refundRoutingOver } from '../support/support-system-loops.js';

const cleanups = cleanupsAfterEach();

const routingOver = (teams: ReadonlyArray<{ id: string; name: string }>) =>
  refundRoutingOver(teams, { fallback: 'Sales', refunds: 'Billing' });

describe('runtime with Rocket.Chat Omnichannel, external mode: the whole loop over HTTP', () => {
  it('forwards the Livechat room to the routed department, relays the agent, and gives the user back to the bot when the agent closes the room', async () => {
    const harness: RocketChatHarness = await createRocketChatHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      support: {
        type: 'rocketchat',
        name: 'rocketchat',
        rocketchat: { ...rocketChatSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    // Omnichannel → Webhooks → Webhook URL points at the runtime.
    harness.fake.setWebhookUrl(`${started.url}/v1/support/rocketchat/webhook`);

    await runExternalModeScenario({
      started,
      harness,
      refundTeam: { id: teams.find((team) => team.name === 'Billing')?.id, label: 'Billing' },
      agentName: 'Ben',
      cleanups,
      afterHandoff: (conversation) => {
        expect(conversation.agentsNotified).toBe(true);
        // The visitor carries our user id in its custom field, for agents to see.
        expect(
          harness.fake.state.visitors.filter((visitor) => visitor.livechatData.handoff_user_id === 'alice'),
        ).not.toEqual([]);
        // Nothing the adapter sent carried the access token anywhere but its header.
        for (const request of harness.fake.requests)
          expect(JSON.stringify({ ...request, headers: {} })).not.toContain(harness.fake.authToken);
      },
    });
  });

  it('refuses webhooks without the Livechat secret token', async () => {
    const harness = await createRocketChatHarness();
    cleanups.push(async () => harness.close?.());
    const started = await startRuntime({
      support: {
        type: 'rocketchat',
        name: 'rocketchat',
        rocketchat: { ...rocketChatSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(await harness.teams()),
    });
    cleanups.push(started.close);
    const body = JSON.stringify({ type: 'Message', _id: 'r1', visitor: { token: 't' }, messages: [] });
    const unsigned = await fetch(`${started.url}/v1/support/rocketchat/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const wrong = await fetch(`${started.url}/v1/support/rocketchat/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rocketchat-livechat-token': 'not-the-token' },
      body,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(harness.fake.webhookSecret);
  });
});

describe('runtime as a Rocket.Chat bot agent (internal mode)', () => {
  it('answers the rooms it serves, forwards with the note, stays silent while a human serves, and answers again when the room comes back', async () => {
    const harness: RocketChatBotHostHarness = await createRocketChatBotHostHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      agentBot: {
        type: 'rocketchat',
        name: 'rocketchat',
        rocketchat: { ...rocketChatBotAgentSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    harness.fake.setWebhookUrl(`${started.url}/v1/agent-bot/rocketchat/webhook`);
    const engine = started.runtime.agentBotEngine;
    if (engine === undefined) throw new Error('the runtime has no internal-mode engine');
    await runInternalModeScenario({
      harness,
      engine,
      refundTeamId: teams.find((team) => team.name === 'Billing')?.id,
      agentName: 'Ben',
      giveBack: (conversationId) => harness.handBackToBot(conversationId),
    });
  });
});
