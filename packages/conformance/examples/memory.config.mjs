// handoff-conformance config for the in-process reference adapter:
//   pnpm build && pnpm --filter @handoff/conformance conformance:memory
import { createMemoryAdapter } from '@handoff/memory';
import { createMemoryHarness } from '@handoff/memory/testing';

export default {
  name: 'memory (in-process support system)',
  harness: () => createMemoryHarness(),
  // The harness's own credentials, the kit's call timeout and the kit's replay guard.
  createAdapter: (harness, context) =>
    createMemoryAdapter({
      system: harness.system,
      ...harness.credentials,
      requestTimeoutMs: context.requestTimeoutMs,
      replayGuard: context.replayGuard,
    }),
};
