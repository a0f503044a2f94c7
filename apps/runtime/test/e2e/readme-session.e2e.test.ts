import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startRuntime, testToken } from '../support/runtime-test-kit.js';

const run = promisify(execFile);
const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

/** The shell block after the `<!-- curl-session -->` marker of the root README. */
function curlSession(): string {
  const start = readme.indexOf('<!-- curl-session -->');
  const fence = readme.indexOf('```sh\n', start);
  const end = readme.indexOf('\n```', fence + 6);
  if (start === -1 || fence === -1 || end === -1) throw new Error('the README has no curl session block');
  return readme.slice(fence + 6, end);
}

const hasCurl = await run('curl', ['--version']).then(
  () => true,
  () => false,
);
if (!hasCurl) console.info('README curl session skipped: curl is not installed');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.skipIf(!hasCurl)('the README curl session', () => {
  it('works as written against a fresh runtime', async () => {
    const { url, close } = await startRuntime();
    cleanups.push(close);
    const script = curlSession()
      .replace(/^TOKEN=.*$/m, `TOKEN=${testToken}`)
      .replace(/^BASE=.*$/m, `BASE=${url}`);
    const { stdout } = await run('bash', ['-c', script], { timeout: 30_000 });
    expect(stdout).toContain('I can help with a refund. What is the order number?');
    expect(stdout).toContain('Connecting you with Billing. A person will answer here shortly.');
    expect(stdout).toContain('Matched skill: demo.shop.Refund');
    expect(stdout).toContain('data: {"id":"agent:');
    expect(stdout).toContain('Hi, I am Anna from Billing.');
    expect(stdout).toContain('"mode":"human","duplicate":false,"replies":[]');
    expect(stdout).toContain('Welcome back, I am the bot again.');
  }, 40_000);
});
