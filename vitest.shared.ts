import { fileURLToPath } from 'node:url';
import { defineProject, mergeConfig, type ViteUserConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Tests run against the packages' sources, not their builds: `@handoff/<name>` resolves to
 * `packages/<name>/src/index.ts` and `@handoff/<name>/<entry>` to `packages/<name>/src/<entry>/index.ts`.
 */
export const workspaceAliases = [
  { find: /^@handoff\/runtime$/, replacement: `${root}apps/runtime/src/index.ts` },
  { find: /^@handoff\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@handoff\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/$2/index.ts` },
];

/** The vitest project of one package: its name and sources-first resolution. */
export function defineHandoffProject(name: string, overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineProject({
      resolve: { alias: workspaceAliases },
      test: {
        name,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 20_000,
        hookTimeout: 20_000,
      },
    }),
    overrides,
  );
}
