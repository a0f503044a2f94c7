import type { ConformanceOptions } from '@handoff/conformance';
import type { MemoryHarness } from '@handoff/memory/testing';

/** The reference adapter's config for `handoff-conformance`. */
declare const config: ConformanceOptions<MemoryHarness>;
export default config;
