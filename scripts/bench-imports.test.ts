// The benchmarks import the packages' builds by path, where neither the type checker nor knip
// looks: every name a benchmark imports from a workspace build must still be exported, or
// `pnpm bench` breaks silently after a refactor. Needs the builds (`pnpm test` builds first).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const bench = fileURLToPath(new URL('../bench', import.meta.url));
const files = [
  ...readdirSync(bench).filter((name) => name.endsWith('.mjs')),
  ...readdirSync(join(bench, 'lib'))
    .filter((name) => name.endsWith('.mjs'))
    .map((name) => `lib/${name}`),
];

/** `import { a, b as c } from '<relative path into a dist/>'` of one file: the names, by module. */
function workspaceImports(source: string, file: string): { module: string; names: string[] }[] {
  const imports = [];
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(\.[^']*\/dist\/[^']*)'/g)) {
    const names = (match[1] ?? '')
      .split(',')
      .map((name) => name.trim().split(/\s+as\s+/)[0] ?? '')
      .filter((name) => name !== '' && !name.startsWith('type '));
    imports.push({ module: resolve(dirname(join(bench, file)), match[2] ?? ''), names });
  }
  return imports;
}

describe('benchmarks import what the builds export', () => {
  it('finds imports of workspace builds to check', () => {
    const count = files.flatMap((file) =>
      workspaceImports(readFileSync(join(bench, file), 'utf8'), file),
    ).length;
    expect(count).toBeGreaterThan(5);
  });

  for (const file of files) {
    it(`bench/${file}`, async () => {
      for (const { module, names } of workspaceImports(readFileSync(join(bench, file), 'utf8'), file)) {
        expect(existsSync(module), `${module} exists (run pnpm build)`).toBe(true);
        const exported = Object.keys(await import(pathToFileURL(module).href));
        for (const name of names) expect(exported, `${name} exported by ${module}`).toContain(name);
      }
    });
  }
});
