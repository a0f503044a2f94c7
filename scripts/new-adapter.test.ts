import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without declarations
import { namesOf, refusalOf } from './new-adapter.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipped = /(^|\/)(node_modules|\.git|\.turbo|\.test-results|\.handoff)(\/|$)/;

/** GitHub's anchor of a Markdown heading. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('pnpm new-adapter: names', () => {
  it('spells the name every way the templates use it', () => {
    expect(namesOf('rocket-chat', undefined)).toEqual({
      __name__: 'rocket-chat',
      __Name__: 'RocketChat',
      __camel__: 'rocketChat',
      __NAME__: 'ROCKET_CHAT',
      __Title__: 'Rocket Chat',
    });
    expect(namesOf('zendesk', 'Zendesk Sunshine').__Title__).toBe('Zendesk Sunshine');
  });

  it('refuses a name that is not a package name, is taken, or exists', () => {
    expect(refusalOf(undefined, root)).toMatch(/name the support system/);
    expect(refusalOf('Zendesk', root)).toMatch(/not a package name/);
    expect(refusalOf('front--app', root)).toMatch(/not a package name/);
    expect(refusalOf('core', root)).toMatch(/taken/);
    expect(refusalOf('chatwoot', root)).toMatch(/taken|exists/);
    expect(refusalOf('zendesk', root)).toBeUndefined();
  });

  it('points every unsupported operation and harness method at a section CONTRIBUTING.md has', () => {
    const guide = readFileSync(join(root, 'CONTRIBUTING.md'), 'utf8');
    const anchors = new Set(
      guide
        .split('\n')
        .filter((line) => line.startsWith('#'))
        .map((line) => anchorOf(line.replace(/^#+/, ''))),
    );
    const templates = join(root, 'templates', 'adapter');
    const linked = new Set<string>();
    const visit = (directory: string) => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const path = join(directory, entry.name);
        if (entry.isDirectory()) visit(path);
        else
          for (const match of readFileSync(path, 'utf8').matchAll(/CONTRIBUTING\.md#([a-z0-9-]+)/g))
            linked.add(match[1] ?? '');
      }
    };
    visit(templates);
    expect(linked.size).toBeGreaterThanOrEqual(9);
    expect([...linked].filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });
});

describe('pnpm new-adapter: into a copy of the workspace', () => {
  let workspace: string;
  let generated: { status: number | null; output: string };

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'handoff-new-adapter-'));
    // The built packages come along (the new one builds against them); installed modules do not.
    cpSync(root, workspace, { recursive: true, filter: (source) => !skipped.test(relative(root, source)) });
    generated = run(
      process.execPath,
      ['scripts/new-adapter.mjs', 'acme-desk', '--title', 'Acme Desk'],
      workspace,
    );
  }, 180_000);
  afterAll(() => {
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  it('creates the package shaped like the other adapters, with its changeset', () => {
    expect(generated.status, generated.output).toBe(0);
    for (const file of [
      'package.json',
      'README.md',
      'handoff-conformance.config.mjs',
      'src/index.ts',
      'src/acme-desk-settings.ts',
      'src/acme-desk-adapter.ts',
      'src/acme-desk-adapter.conformance.test.ts',
      'src/testing/fake-acme-desk-server.ts',
      'src/testing/acme-desk-harness.ts',
      'src/__fixtures__/README.md',
    ]) {
      expect(existsSync(join(workspace, 'packages', 'acme-desk', file)), file).toBe(true);
    }
    expect(readFileSync(join(workspace, '.changeset', 'acme-desk-adapter.md'), 'utf8')).toContain(
      "'@handoff/acme-desk': minor",
    );
    expect(readFileSync(join(workspace, 'packages/acme-desk/src/acme-desk-adapter.ts'), 'utf8')).toContain(
      'export function createAcmeDeskAdapter(settings: AcmeDeskSettings = {}): SupportAdapter',
    );
  });

  it('builds, typechecks and passes the linter', () => {
    const build = run('pnpm', ['--filter', '@handoff/acme-desk', 'build'], workspace);
    expect(build.status, build.output).toBe(0);
    expect(existsSync(join(workspace, 'packages/acme-desk/dist/index.js'))).toBe(true);
    expect(existsSync(join(workspace, 'packages/acme-desk/dist/testing/index.d.ts'))).toBe(true);
    const typecheck = run('pnpm', ['--filter', '@handoff/acme-desk', 'typecheck'], workspace);
    expect(typecheck.status, typecheck.output).toBe(0);
    const lint = run(
      join(workspace, 'node_modules/.bin/biome'),
      ['check', 'packages/acme-desk', '.changeset', 'knip.json'],
      workspace,
    );
    expect(lint.status, lint.output).toBe(0);
    const knip = run(
      join(workspace, 'node_modules/.bin/knip'),
      ['--no-progress', '--workspace', 'packages/acme-desk'],
      workspace,
    );
    expect(knip.status, knip.output).toBe(0);
  }, 120_000);

  it('fails the kit with a readable list of the contract points still missing', () => {
    const kit = run('pnpm', ['--filter', '@handoff/acme-desk', 'conformance'], workspace);
    expect(kit.status).not.toBe(0);
    expect(kit.output).toContain('Handoff support contract: acme-desk (fake Acme Desk)');
    expect(kit.output).toMatch(/\d+ points: \d+ passed, [1-9]\d* failed/);
    expect(kit.output).toContain('Contract points still missing:');
    for (const point of [
      'ensure-user/idempotent',
      'list-teams/all',
      'transfer/team',
      'agent-events/message',
    ]) {
      expect(kit.output).toContain(`  ${point}: `);
    }
    expect(kit.output).toContain(
      'ensureUser is not built yet in @handoff/acme-desk: see CONTRIBUTING.md#ensureuser',
    );
    expect(kit.output).toContain('the Acme Desk harness cannot list teams yet');
  }, 60_000);

  it('wires the vitest suite to the kit: its settings tests pass, its contract points fail', () => {
    const tests = run(
      join(workspace, 'node_modules/.bin/vitest'),
      ['run', '--project', 'acme-desk'],
      workspace,
    );
    expect(tests.status).not.toBe(0);
    expect(tests.output).toMatch(/acme-desk-settings\.test\.ts \(3 tests\)/);
    expect(tests.output).toContain('ensureUser is not built yet in @handoff/acme-desk');
  }, 120_000);
});
