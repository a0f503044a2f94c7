// The kit as an adapter author uses it: one vitest test per contract point.
import { createMemoryAdapter } from '@handoff/memory';
import { createMemoryHarness } from '@handoff/memory/testing';
import { describeSupportAdapter } from './describe-support-adapter.js';

const target = {
  name: 'memory',
  harness: () => createMemoryHarness(),
  createAdapter: (harness: ReturnType<typeof createMemoryHarness>, context: { requestTimeoutMs: number }) =>
    createMemoryAdapter({ system: harness.system, requestTimeoutMs: context.requestTimeoutMs }),
};

describeSupportAdapter({
  ...target,
  requestTimeoutMs: 1_000,
  live: { ...target, name: 'memory (live demo)', variables: ['HANDOFF_MEMORY_LIVE_TOKEN'] },
});
