import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

/** `pnpm test:soak`: the long reliability runs; not part of `pnpm test`. */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    include: ['apps/runtime/test/**/*.soak.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
