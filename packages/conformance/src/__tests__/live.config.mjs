// A config with a live target whose variable is never set in tests.
import { createMemoryAdapter } from '@handoff/memory';
import { createMemoryHarness } from '@handoff/memory/testing';

const target = {
  name: 'memory',
  harness: () => createMemoryHarness(),
  createAdapter: (harness, context) =>
    createMemoryAdapter({ system: harness.system, requestTimeoutMs: context.requestTimeoutMs }),
};

export default {
  ...target,
  live: { ...target, name: 'memory (live)', variables: ['HANDOFF_TEST_NEVER_SET_TOKEN'] },
};
