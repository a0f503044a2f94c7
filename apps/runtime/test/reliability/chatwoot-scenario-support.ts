import { startFakeChatwoot } from '@handoff/chatwoot/testing';
import { agentSays } from './agent-says.js';
import { chatwootRuntimeSettings } from './scenario-runtime-config.js';
import type { ScenarioSupport } from './scenario-support.js';

/** A fake Chatwoot in the test process: it outlives every kill of the runtime. */
export async function chatwootScenarioSupport(): Promise<ScenarioSupport> {
  const fake = await startFakeChatwoot();
  const conversation = (id: string) => fake.conversation(Number(id));
  return {
    type: 'chatwoot',
    runtimeSettings: () => chatwootRuntimeSettings(fake),
    connect(runtimeUrl) {
      fake.setInbox({ webhookUrl: `${runtimeUrl}/v1/support/chatwoot/webhook` });
    },
    isOpen: async (id) => conversation(id)?.status === 'open',
    async agentSays(id, text) {
      await agentSays(fake, Number(id), text);
    },
    userTexts: async (id) =>
      (conversation(id)?.messages ?? [])
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content ?? ''),
    async duplicatePosts(id) {
      const sourceIds = (conversation(id)?.messages ?? [])
        .map((message) => message.sourceId)
        .filter((sourceId) => sourceId != null);
      return sourceIds.length - new Set(sourceIds).size;
    },
    usersOf: async (userId) => fake.contacts().filter((contact) => contact.identifier === userId).length,
    close: () => fake.close(),
  };
}
