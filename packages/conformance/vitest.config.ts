import { defineHandoffProject } from '../../vitest.shared.js';

// The kit's own tests run its broken variants side by side (each against its own backend).
export default defineHandoffProject('conformance', { test: { maxConcurrency: 16 } });
