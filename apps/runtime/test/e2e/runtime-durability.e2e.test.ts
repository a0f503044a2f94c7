import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime, testToken } from '../support/runtime-test-kit.js';

const directory = mkdtempSync(join(tmpdir(), 'handoff-runtime-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('runtime: restarts with SQLite', () => {
  it('keeps sessions, the demo support system, answers to client ids and the mailbox across a restart', async () => {
    const storage = { type: 'sqlite' as const, path: join(directory, 'restart.db') };
    const first = await startRuntime({ storage });
    const alice = first.user('web', 'alice');
    const refund = await alice.say('refund', { id: 'm-1' });
    await alice.say('agent', { id: 'm-2' });
    const conversationId = await eventually(async () => {
      const id = (await alice.session()).json.conversationId;
      if (typeof id !== 'string') throw new Error('not yet');
      return id;
    });
    first.runtime.support.memory?.reply(conversationId, { text: 'before the restart' });
    await eventually(async () => {
      const stream = await alice.events(0);
      try {
        await stream.next((event) => event.data.text === 'before the restart', 300);
      } finally {
        await stream.close();
      }
    });
    await first.close();

    const second = await startRuntime({ storage });
    cleanups.push(second.close);
    const again = second.user('web', 'alice');
    expect((await again.session()).json).toMatchObject({
      mode: 'human',
      conversationId,
      team: { label: 'Billing' },
    });
    expect((await again.say('refund', { id: 'm-1' })).json).toEqual(refund.json);
    const system = second.runtime.support.memory;
    expect(system?.getConversation(conversationId)?.messages.map((message) => message.text)).toContain(
      'before the restart',
    );
    const stream = await again.events(0);
    cleanups.push(stream.close);
    await stream.next((event) => event.data.text === 'before the restart');
    system?.reply(conversationId, { text: 'after the restart' });
    await stream.next((event) => event.data.text === 'after the restart');
  });
});

describe('runtime: logs', () => {
  it('never log message text or tokens', async () => {
    let logs = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        logs += chunk.toString();
        callback();
      },
    });
    const started = await startRuntime({ logging: { level: 'debug' } }, { logStream: stream });
    cleanups.push(started.close);
    const alice = started.user('web', 'alice');
    await alice.say('my card number is 4242 4242 4242 4242');
    await alice.say('refund please, card 4242');
    await alice.say('agent');
    await eventually(() => expect(logs).toContain('handoff.transferred'));
    await started.call(
      'POST',
      '/v1/channels/web/users/alice/messages',
      { text: 'x' },
      { authorization: 'Bearer wrong-secret-token-xyz' },
    );
    expect(logs).toContain('handoff.requested');
    expect(logs).not.toContain('4242');
    expect(logs).not.toContain(testToken);
    expect(logs).not.toContain('wrong-secret-token-xyz');
  });
});
