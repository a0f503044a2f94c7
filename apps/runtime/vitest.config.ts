import { defineHandoffProject } from '../../vitest.shared.js';

// The try-it pages' own modules are tested too (`web/`); mergeConfig adds to the default include.
export default defineHandoffProject('runtime', { test: { include: ['web/**/*.test.ts'] } });
