import type { SupportAdapter } from '@handoff/core';
import { createMemoryAdapter } from '@handoff/memory';
import { createMemoryHarness, type MemoryHarness } from '@handoff/memory/testing';
import type { ConformanceTarget } from '../conformance-target.js';

/** The reference target: the in-process system and its adapter, optionally wrapped (to break it). */
export function memoryTarget(
  name: string,
  wrap: (adapter: SupportAdapter, harness: MemoryHarness) => SupportAdapter = (adapter) => adapter,
): ConformanceTarget<MemoryHarness> {
  return {
    name,
    harness: () => createMemoryHarness(),
    createAdapter: (harness, context) =>
      wrap(
        createMemoryAdapter({ system: harness.system, requestTimeoutMs: context.requestTimeoutMs }),
        harness,
      ),
  };
}
