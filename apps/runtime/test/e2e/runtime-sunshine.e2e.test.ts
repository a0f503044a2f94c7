import {
  createSunshineBotHostHarness,
  createSunshineHarness,
  type SunshineBotHostHarness,
  type SunshineHarness,
  sunshineSettingsFor,
  sunshineSwitchboardSettingsFor,
} from '@handoff/sunshine/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runExternalModeScenario } from '../support/external-mode-scenario.js';
import { runInternalModeScenario } from '../support/internal-mode-scenario.js';
import { startRuntime } from '../support/runtime-test-kit.js';
import { refundRoutingOver } from '../support/support-system-loops.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const routingOver = (teams: ReadonlyArray<{ id: string; name: string }>) =>
  refundRoutingOver(teams, { fallback: 'Support', refunds: 'Billing' });

describe('runtime with Zendesk messaging (Sunshine Conversations), external mode: the whole loop over HTTP', () => {
  it('passes control to the Agent Workspace for the routed group, relays the agent, and gives the user back to the bot when the ticket is solved', async () => {
    const harness: SunshineHarness = await createSunshineHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      support: {
        type: 'sunshine',
        name: 'sunshine',
        sunshine: { ...sunshineSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    // The custom integration's webhook points at the runtime.
    harness.fake.setWebhookUrl(`${started.url}/v1/support/sunshine/webhook`);

    await runExternalModeScenario({
      started,
      harness,
      refundTeam: { id: teams.find((team) => team.name === 'Billing')?.id, label: 'Billing' },
      agentName: 'Anna',
      cleanups,
      afterHandoff: () => {
        expect(harness.fake.users().find((user) => user.externalId === 'alice')).toBeDefined();
      },
    });
  });
});

describe('runtime as a Sunshine Conversations switchboard integration (internal mode)', () => {
  it('answers while it has control, passes control with the note, stays silent on standby, and answers again when control comes back', async () => {
    const harness: SunshineBotHostHarness = await createSunshineBotHostHarness();
    cleanups.push(async () => harness.close?.());
    const teams = await harness.teams();
    const started = await startRuntime({
      agentBot: {
        type: 'sunshine',
        name: 'sunshine',
        sunshine: { ...sunshineSwitchboardSettingsFor(harness.fake), requestTimeoutMs: 2_000 },
      },
      routing: routingOver(teams),
    });
    cleanups.push(started.close);
    harness.fake.setWebhookUrl(`${started.url}/v1/agent-bot/sunshine/webhook`);
    const engine = started.runtime.agentBotEngine;
    if (engine === undefined) throw new Error('the runtime has no internal-mode engine');
    await runInternalModeScenario({
      harness,
      engine,
      refundTeamId: teams.find((team) => team.name === 'Billing')?.id,
      agentName: 'Anna',
      giveBack: (conversationId) => harness.resolve(conversationId),
    });
  });
});
