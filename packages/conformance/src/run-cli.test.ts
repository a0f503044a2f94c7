import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const config = fileURLToPath(new URL('../examples/memory.config.mjs', import.meta.url));

function capture() {
  const logs: string[] = [];
  const errors: string[] = [];
  return {
    output: { log: (text: string) => logs.push(text), error: (text: string) => errors.push(text) },
    logs,
    errors,
  };
}

describe('handoff-conformance', () => {
  it('prints a per-point report by rule for the reference adapter and exits 0', async () => {
    const { output, logs } = capture();
    const code = await runCli(
      ['--config', config, '--only', 'ensure-user/', '--only', 'transfer/', '--seed', '7'],
      output,
    );
    const report = logs.join('\n');
    expect(code).toBe(0);
    expect(report).toContain('Handoff support contract: memory (in-process support system)');
    expect(report).toContain('random sequences: seed 7 (the same seed replays them)');
    expect(report).toMatch(
      /ensure user: one bot-side user is one support user, found again after a restart\n {2}✓ ensure-user\/idempotent: ensuring the same user twice gives one user \(\d+ ms\)/,
    );
    expect(report).toContain(
      '✓ transfer/unknown-team: a team the system does not have is an error, never a silent success',
    );
    expect(report).toContain('9 points: 9 passed, 0 failed, 0 skipped');
  });

  it('refuses a seed or a concurrency that is not a number, and exits 2', async () => {
    const { output, errors } = capture();
    expect(await runCli(['--config', config, '--seed', 'soon'], output)).toBe(2);
    expect(await runCli(['--config', config, '--concurrency', '0'], output)).toBe(2);
    expect(errors.join('\n')).toContain('--seed must be an integer, got soon');
    expect(errors.join('\n')).toContain('--concurrency must be a whole number of at least 1, got 0');
  });

  it('answers --json with the report as data', async () => {
    const { output, logs } = capture();
    await runCli(['--config', config, '--only', 'list-teams/', '--json'], output);
    expect(JSON.parse(logs.join(''))).toMatchObject({
      passed: 1,
      failed: 0,
      results: [{ id: 'list-teams/all', status: 'passed' }],
    });
  });

  it('says what is wrong with a missing config file and exits 2', async () => {
    const { output, errors } = capture();
    expect(await runCli(['--config', '/nonexistent/handoff.mjs'], output)).toBe(2);
    expect(errors.join('\n')).toContain('No config file at /nonexistent/handoff.mjs');
  });

  it('skips live mode with a notice naming the variables to set', async () => {
    const { output, logs } = capture();
    const liveConfig = fileURLToPath(new URL('../test/fixtures/live.config.mjs', import.meta.url));
    expect(await runCli(['--config', liveConfig, '--live'], output)).toBe(0);
    expect(logs.join('\n')).toBe(
      'Live mode skipped for memory (live): set HANDOFF_TEST_NEVER_SET_TOKEN to run against a real instance.',
    );
  });

  it('refuses --live for a config without a live target', async () => {
    const { output, errors } = capture();
    expect(await runCli(['--config', config, '--live'], output)).toBe(2);
    expect(errors.join('\n')).toContain('describes no live target');
  });
});
