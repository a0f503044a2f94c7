import { defineProject } from 'vitest/config';

/** Tests of the repository's own tools (the adapter generator). */
export default defineProject({
  test: {
    name: 'scripts',
    include: ['*.test.ts'],
    testTimeout: 20_000,
  },
});
