import { describeSupportAdapter } from '@handoff/conformance';
import { createChatwootHarness } from '../src/testing/index.js';
import { chatwootAdapterFor, chatwootTarget } from './chatwoot-target.js';

// The whole support contract against the fake Chatwoot, with the recommended configuration
// (administrator token for contacts and teams, agent bot token for conversations).
describeSupportAdapter({ ...chatwootTarget, requestTimeoutMs: 1_000 });

// The same with a user token only: bot turns attributed with sender_type AgentBot.
describeSupportAdapter({
  name: 'chatwoot, user token only',
  harness: () => createChatwootHarness(),
  createAdapter: (harness, context) => chatwootAdapterFor(harness, context, { agentBotToken: undefined }),
  requestTimeoutMs: 1_000,
});
