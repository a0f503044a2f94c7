import type { SupportHarness } from '@handoff/core';
import { createWebhookRecorder } from '@handoff/fake-server';
import { type FakeSunshine, startFakeSunshine } from './fake-sunshine-server.js';

/** The kit's independent view of the fake Sunshine Conversations: it reads the fake's state, never the adapter's word. */
export interface SunshineHarness extends SupportHarness {
  fake: FakeSunshine;
}

/** The error of each harness method until it is written. */
function notBuiltYet(method: string): never {
  throw new Error(
    `the Sunshine Conversations harness cannot ${method} yet: read or change the fake's state (CONTRIBUTING.md#1-the-harness)`,
  );
}

/**
 * A fresh fake Sunshine Conversations and the harness over it. The kit calls it once per contract point. The
 * methods that read the backend or act as an agent are yours to write once the fake keeps state.
 */
export async function createSunshineHarness(): Promise<SunshineHarness> {
  const fake = await startFakeSunshine();
  const recorder = createWebhookRecorder({ subscribe: fake.onWebhook, idle: fake.idle });
  return {
    fake,
    teams: async () => notBuiltYet('list teams'),
    findUsers: async () => notBuiltYet('find users'),
    getConversation: async () => notBuiltYet('read a conversation'),
    unknownConversationId: async () => notBuiltYet('name a conversation id never used'),
    agentReply: (_conversationId) => recorder.during(async () => notBuiltYet('reply as an agent')),
    agentNote: (_conversationId) => recorder.during(async () => notBuiltYet('write a private note')),
    agentTyping: (_conversationId) => recorder.during(async () => notBuiltYet('show an agent typing')),
    assignAgent: (_conversationId) => recorder.during(async () => notBuiltYet('assign an agent')),
    resolve: (_conversationId) => recorder.during(async () => notBuiltYet('resolve a conversation')),
    takeWebhooks: () => recorder.take(),
    // The credentials the adapter is given: the kit searches errors and logs for them.
    secrets: [fake.token, fake.webhookSecret],
    injectFault: (fault, options = {}) => fake.injectFault(fault, options),
    clearFaults: () => fake.clearFaults(),
    async close() {
      recorder.stop();
      await fake.close();
    },
  };
}
