export { createMemoryHarness, type MemoryHarness } from './memory-harness.js';
