import { createIntercomHarness, intercomSettingsFor } from '@handoff/intercom/testing';
import type { ScenarioSupport } from './scenario-support.js';

/** A fake Intercom in the test process: it outlives every kill of the runtime. */
export async function intercomScenarioSupport(): Promise<ScenarioSupport> {
  const harness = await createIntercomHarness();
  const { fake } = harness;
  const teams = Object.fromEntries(fake.teams().map((team) => [team.name, team.id]));
  return {
    type: 'intercom',
    runtimeSettings: () => ({
      support: {
        type: 'intercom',
        name: 'intercom',
        catchUpIntervalMs: 1_000,
        intercom: { ...intercomSettingsFor(fake), requestTimeoutMs: 1_000 },
      },
      routing: {
        defaultTeam: { team: String(teams.Support), label: 'Support' },
        teams: [{ team: String(teams.Billing), label: 'Billing', skills: ['demo.shop.Refund'] }],
        askWhenNoSkill: true,
      },
    }),
    connect(runtimeUrl) {
      fake.setWebhookUrl(`${runtimeUrl}/v1/support/intercom/webhook`);
    },
    isOpen: async (id) => (await harness.getConversation(id))?.team !== undefined,
    async agentSays(id, text) {
      await harness.agentReply(id, { text });
    },
    userTexts: async (id) =>
      ((await harness.getConversation(id))?.messages ?? [])
        .filter((message) => message.author === 'user')
        .map((message) => message.text),
    async duplicatePosts(id) {
      // Texts unique by construction: the numbered user messages and the agents' replies.
      const posted = ((await harness.getConversation(id))?.messages ?? [])
        .map((message) => message.text)
        .filter((text) => /^user-\d+ message \d+$|^reply \d+ to user-\d+$/.test(text));
      return posted.length - new Set(posted).size;
    },
    usersOf: async (userId) => (await harness.findUsers({ externalId: userId })).length,
    close: async () => harness.close?.(),
  };
}
