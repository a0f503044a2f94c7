import { afterEach, describe, expect, it } from 'vitest';
import { logSink } from '../support/log-sink.js';
import { startRuntime } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const deprecation = 'support.type memory is deprecated: write support.type in-process';
const warningsOf = (lines: ReadonlyArray<Record<string, unknown>>) =>
  lines.filter((line) => line.level === 40).map((line) => String(line.msg));

describe('runtime: deprecated settings', () => {
  it('runs the in-process system for the old support type memory, and warns once at start', async () => {
    const logs = logSink();
    const started = await startRuntime(
      { support: { type: 'memory' }, logging: { level: 'warn' } },
      { logStream: logs.stream },
    );
    cleanups.push(started.close);
    expect(started.runtime.support).toMatchObject({ type: 'in-process', name: 'memory' });
    expect(started.runtime.support.memory).toBeDefined();
    expect((await started.user('web', 'alice').say('hello')).status).toBe(200);
    expect(warningsOf(logs.lines).filter((message) => message.startsWith(deprecation))).toHaveLength(1);
  });

  it('says nothing of it for support type in-process', async () => {
    const logs = logSink();
    const started = await startRuntime(
      { support: { type: 'in-process' }, logging: { level: 'warn' } },
      { logStream: logs.stream },
    );
    cleanups.push(started.close);
    expect(started.runtime.support.type).toBe('in-process');
    expect(warningsOf(logs.lines)).toEqual([]);
  });
});
