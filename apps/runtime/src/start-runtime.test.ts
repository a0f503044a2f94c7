import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFromCommandLine } from './start-runtime.js';

const directory = mkdtempSync(join(tmpdir(), 'handoff-start-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function capture() {
  const logs: string[] = [];
  const errors: string[] = [];
  return {
    output: { log: (text: string) => logs.push(text), error: (text: string) => errors.push(text) },
    logs,
    errors,
  };
}

describe('handoff-runtime', () => {
  it('stops with exit code 1 and names the bad field of an invalid configuration', async () => {
    const file = join(directory, 'bad.yaml');
    writeFileSync(
      file,
      'routing:\n  defaultTeam: "1"\nsupport:\n  type: chatwoot\n  chatwoot:\n    baseUrl: not-a-url\n',
    );
    const { output, errors } = capture();
    const result = await startFromCommandLine(['--config', file], output, {});
    expect(result).toEqual({ exitCode: 1 });
    expect(errors.join('\n')).toContain('support.chatwoot.baseUrl');
  });

  it('names the missing Chatwoot settings the environment did not provide', async () => {
    const file = join(directory, 'chatwoot.yaml');
    writeFileSync(
      file,
      'routing:\n  defaultTeam: "1"\nstorage:\n  type: memory\nsupport:\n  type: chatwoot\n',
    );
    const { output, errors } = capture();
    expect(await startFromCommandLine(['--config', file], output, {})).toEqual({ exitCode: 1 });
    expect(errors.join('\n')).toMatch(/support\.chatwoot\.baseUrl[\s\S]*support\.chatwoot\.userToken/);
  });

  it('names the missing agent-bot settings of internal mode', async () => {
    const file = join(directory, 'agent-bot.yaml');
    writeFileSync(
      file,
      'routing:\n  defaultTeam: "1"\nstorage:\n  type: memory\nagentBot:\n  type: chatwoot\n  chatwoot:\n    baseUrl: https://chatwoot.example.com\n    accountId: 1\n',
    );
    const { output, errors } = capture();
    expect(await startFromCommandLine(['--config', file], output, {})).toEqual({ exitCode: 1 });
    expect(errors.join('\n')).toContain(
      'agentBot.chatwoot.agentBotToken: is required: the access token of the agent bot',
    );
  });

  it('stops with exit code 1 when Redis cannot be reached, without showing its password', async () => {
    const file = join(directory, 'redis.yaml');
    writeFileSync(file, 'routing:\n  defaultTeam: "1"\nsupport:\n  type: chatwoot\n');
    const { output, errors } = capture();
    const started = performance.now();
    const result = await startFromCommandLine(['--config', file], output, {
      HANDOFF_REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1/0',
    });
    expect(result).toEqual({ exitCode: 1 });
    expect(errors.join('\n')).toContain('cannot reach Redis at redis://:redacted@127.0.0.1:1/0');
    expect(errors.join('\n')).not.toContain('hunter2');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('starts on embedded defaults and prints its URL and a development token', async () => {
    const { output, logs } = capture();
    const result = await startFromCommandLine([], output, {
      PORT: '0', // as a hosting platform sets it
      HANDOFF_STORAGE: 'memory',
      HANDOFF_LOG_LEVEL: 'silent',
    });
    if (!('runtime' in result)) throw new Error(`did not start: ${JSON.stringify(result)}`);
    try {
      const printed = logs.join('\n');
      expect(printed).toMatch(/Handoff runtime listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(printed).toContain('configuration: embedded demo configuration');
      expect(printed).toContain('address: host from the default, port from PORT');
      expect(printed).toContain(
        `channel API token (development, new at each start): ${result.runtime.tokens[0]?.token}`,
      );
      const token = result.runtime.tokens[0]?.token;
      const chat = /chat page: (\S+)/.exec(printed)?.[1];
      const console = /agent console: (\S+)/.exec(printed)?.[1];
      expect(chat).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/chat#token=${token}$`));
      expect(console).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/console#token=${token}$`));
      // The printed pages are really there.
      for (const url of [chat, console]) {
        const page = await fetch(String(url));
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
      }
    } finally {
      await result.runtime.close();
    }
  });

  it('prints its usage for --help and refuses unknown options', async () => {
    const help = capture();
    expect(await startFromCommandLine(['--help'], help.output, {})).toEqual({ exitCode: 0 });
    expect(help.logs.join('')).toContain('Usage: handoff-runtime');
    const unknown = capture();
    expect(await startFromCommandLine(['--colour'], unknown.output, {})).toEqual({ exitCode: 1 });
  });
});
