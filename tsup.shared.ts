import { defineConfig } from 'tsup';

/** The build of a published package: ESM for Node 20, declarations and source maps. */
export function definePackageBuild(
  entry: Record<string, string> | string[] = ['src/index.ts'],
  external: string[] = [],
) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    external,
  });
}
