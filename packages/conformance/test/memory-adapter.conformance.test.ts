// The kit as an adapter author uses it: one vitest test per contract point.
import { describeSupportAdapter } from '../src/index.js';
import { memoryTarget } from './memory-target.js';

describeSupportAdapter({
  ...memoryTarget,
  requestTimeoutMs: 1_000,
  live: { ...memoryTarget, name: 'memory (live demo)', variables: ['HANDOFF_MEMORY_LIVE_TOKEN'] },
});
