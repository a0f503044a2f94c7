// The layering rules (.dependency-cruiser.cjs) catch each kind of violation they are written for,
// and let a well-layered tree through. Each case lays out a small monorepo in a scratch directory
// and runs the real config over it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const depcruise = join(root, 'node_modules/.bin/depcruise');
const scratchDirectories: string[] = [];

afterEach(() => {
  for (const directory of scratchDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Lays out `files` (path -> source) and returns the names of the rules the check reports. */
function violationsOf(files: Record<string, string>): { rules: string[]; status: number | null } {
  const directory = mkdtempSync(join(tmpdir(), 'handoff-layers-'));
  scratchDirectories.push(directory);
  copyFileSync(join(root, 'tsconfig.base.json'), join(directory, 'tsconfig.base.json'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, path)), { recursive: true });
    writeFileSync(join(directory, path), source);
  }
  mkdirSync(join(directory, 'apps'), { recursive: true });
  const run = (outputType: string) =>
    spawnSync(
      depcruise,
      ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', outputType, 'packages', 'apps'],
      {
        cwd: directory,
        encoding: 'utf8',
      },
    );
  const result = run('json');
  const report = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return {
    rules: [...new Set(report.summary.violations.map((violation) => violation.rule.name))].sort(),
    status: run('err').status,
  };
}

const wellLayered = {
  'packages/core/src/index.ts': 'export const core = 1;\n',
  'packages/http/src/index.ts': 'export const http = 1;\n',
  'packages/chatwoot/src/index.ts': 'export const chatwoot = 1;\n',
  'packages/storage-sqlite/src/index.ts': 'export const sqlite = 1;\n',
  'apps/runtime/src/main.ts': 'export const main = 1;\n',
};

describe('layering check', () => {
  it('lets a well-layered tree through', () => {
    const { rules, status } = violationsOf({
      'packages/core/src/index.ts': "import { a } from './a.js';\nexport const core = a;\n",
      'packages/core/src/a.ts': 'export const a = 1;\n',
      'packages/chatwoot/src/index.ts': "import { b } from './b.js';\nexport const chatwoot = b;\n",
      'packages/chatwoot/src/b.ts': 'export const b = 1;\n',
    });
    expect(rules).toEqual([]);
    expect(status).toBe(0);
  });

  it('refuses an import cycle', () => {
    const { rules, status } = violationsOf({
      ...wellLayered,
      'packages/core/src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'packages/core/src/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(rules).toEqual(['no-cycles']);
    expect(status).not.toBe(0);
  });

  it('refuses core reaching an adapter (and reaching into its sources)', () => {
    const { rules } = violationsOf({
      ...wellLayered,
      'packages/core/src/index.ts':
        "import { chatwoot } from '../../chatwoot/src/index.js';\nexport const core = chatwoot;\n",
    });
    expect(rules).toEqual(['core-stands-alone', 'through-the-front-door']);
  });

  it('refuses an adapter importing a storage package or the runtime', () => {
    const { rules } = violationsOf({
      ...wellLayered,
      'packages/chatwoot/src/index.ts':
        "import { sqlite } from '../../storage-sqlite/src/index.js';\nimport { main } from '../../../apps/runtime/src/main.js';\nexport const chatwoot = sqlite + main;\n",
    });
    expect(rules).toEqual([
      'adapters-import-core-http-fake-server',
      'packages-never-import-apps',
      'through-the-front-door',
    ]);
  });

  it('refuses a storage package importing an adapter', () => {
    const { rules } = violationsOf({
      ...wellLayered,
      'packages/storage-sqlite/src/index.ts':
        "import { chatwoot } from '../../chatwoot/src/index.js';\nexport const sqlite = chatwoot;\n",
    });
    expect(rules).toEqual(['storage-imports-core-only', 'through-the-front-door']);
  });

  it('refuses the kit importing an adapter, but lets its tests use one', () => {
    const kit = violationsOf({
      ...wellLayered,
      'packages/conformance/src/index.ts':
        "import { chatwoot } from '../../chatwoot/src/index.js';\nexport const kit = chatwoot;\n",
    });
    expect(kit.rules).toContain('kit-knows-no-adapter');
    const kitTest = violationsOf({
      ...wellLayered,
      'packages/conformance/test/memory.test.ts':
        "import { chatwoot } from '../../chatwoot/src/index.js';\nexport const used = chatwoot;\n",
    });
    expect(kitTest.rules).not.toContain('kit-knows-no-adapter');
  });

  it('refuses an import that does not resolve', () => {
    const { rules } = violationsOf({
      ...wellLayered,
      'packages/core/src/index.ts': "import { gone } from './gone.js';\nexport const core = gone;\n",
    });
    expect(rules).toEqual(['no-unresolvable']);
  });
});
