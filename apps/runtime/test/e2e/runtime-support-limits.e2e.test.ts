import { type SupportCapabilities, sessionKey } from '@handoff/core';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A runtime on the in-process support system whose adapter declares the given limits (the route
 * reads them from the adapter on every call, as it would from Chatwoot's or Intercom's).
 */
async function setup(limits: Partial<Pick<SupportCapabilities, 'textLength' | 'attachments'>>) {
  const started = await startRuntime();
  cleanups.push(started.close);
  Object.assign(started.runtime.support.adapter.capabilities, limits);
  const system = started.runtime.support.memory;
  if (system === undefined) throw new Error('the test needs the in-process support system');
  const alice = started.user('web', 'alice');
  /** Alice talking to Billing: her messages go to the support system from now on. */
  const handOver = async () => {
    await alice.say('agent');
    await alice.say('billing');
    return eventually(() => {
      const [conversation] = system.listConversations({ status: 'open' });
      if (conversation === undefined) throw new Error('no open conversation yet');
      return conversation;
    });
  };
  const messagesOf = (conversationId: string) => system.getConversation(conversationId)?.messages ?? [];
  return { ...started, alice, handOver, messagesOf };
}

const file = (size: number, name = 'invoice.pdf') => ({
  url: `https://files.example/${name}`,
  contentType: 'application/pdf',
  name,
  size,
});

describe('the support system’s limits, refused before anything is stored', () => {
  it('refuses a text longer than the system keeps, counted in its unit, and stores nothing', async () => {
    const { alice, runtime, call } = await setup({ textLength: { max: 10, unit: 'code_points' } });
    // Eleven emoji: eleven code points, twenty-two UTF-16 units.
    const response = await alice.say('😀'.repeat(11), { id: 'too-long-1' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: 'invalid_request',
      message: 'text: is 11 code points; the support system keeps at most 10',
      issues: [{ path: 'text', message: 'is 11 code points; the support system keeps at most 10' }],
    });
    // No session was started, nothing was put in the mailbox, the id was not used up.
    expect(await runtime.engine.getSession({ channelId: 'web', userId: 'alice' })).toBeUndefined();
    expect((await call('GET', '/v1/channels/web/users/alice/session')).status).toBe(404);
    expect(await runtime.stores.mailbox.after(sessionKey('web', 'alice'), 0)).toEqual([]);
    const atTheLimit = await alice.say('😀'.repeat(10), { id: 'too-long-1' });
    expect(atTheLimit.status).toBe(200);
    expect(atTheLimit.json.duplicate).toBe(false);
  });

  it('counts UTF-8 bytes for a system that does, and never sends a refused text to the agent', async () => {
    const { alice, handOver, messagesOf, runtime } = await setup({
      textLength: { max: 10, unit: 'utf8_bytes' },
    });
    const conversation = await handOver();
    await runtime.engine.drain();
    const before = messagesOf(conversation.id).length;
    // Six é: six code points, twelve UTF-8 bytes.
    const response = await alice.say('éééééé');
    expect(response.status).toBe(400);
    expect(response.json.message).toBe('text: is 12 UTF-8 bytes; the support system keeps at most 10');
    await runtime.engine.drain();
    expect(messagesOf(conversation.id)).toHaveLength(before);
    // Five é fit: they reach the agent.
    expect((await alice.say('ééééé')).status).toBe(200);
    await eventually(() => expect(messagesOf(conversation.id).at(-1)?.text).toBe('ééééé'));
  });

  it('refuses more files than one message may carry, naming the limit', async () => {
    const { alice, handOver, messagesOf, runtime } = await setup({
      attachments: { maxBytes: 1_000, maxPerMessage: 2 },
    });
    const conversation = await handOver();
    await runtime.engine.drain();
    const before = messagesOf(conversation.id).length;
    const response = await alice.say('three files', {
      attachments: [file(10, 'a.pdf'), file(10, 'b.pdf'), file(10, 'c.pdf')],
    });
    expect(response.status).toBe(400);
    expect(response.json.message).toBe('attachments: are 3; the support system takes at most 2 per message');
    await runtime.engine.drain();
    expect(messagesOf(conversation.id)).toHaveLength(before);
  });

  it('refuses a file declared larger than the system takes, naming which one', async () => {
    const { alice, handOver, messagesOf, runtime } = await setup({
      attachments: { maxBytes: 1_000, maxPerMessage: 5 },
    });
    const conversation = await handOver();
    await runtime.engine.drain();
    const before = messagesOf(conversation.id).length;
    const response = await alice.say('two files', {
      attachments: [file(1_000, 'fits.pdf'), file(1_001, 'large.pdf')],
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      error: 'invalid_request',
      message: 'attachments[1].size: 1001 bytes is more than the support system takes (1000)',
    });
    await runtime.engine.drain();
    expect(messagesOf(conversation.id)).toHaveLength(before);
    // At the limit the file goes through.
    expect((await alice.say('one file', { attachments: [file(1_000, 'fits.pdf')] })).status).toBe(200);
    await eventually(() =>
      expect(
        messagesOf(conversation.id)
          .at(-1)
          ?.attachments?.map((attachment) => attachment.name),
      ).toEqual(['fits.pdf']),
    );
  });

  it('refuses any file when the system takes none, before the bot or the agent sees it', async () => {
    const { alice, runtime } = await setup({ attachments: false });
    const response = await alice.say('a file', { attachments: [file(10)] });
    expect(response.status).toBe(400);
    expect(response.json.message).toBe('attachments: the support system takes no attachments');
    expect(await runtime.engine.getSession({ channelId: 'web', userId: 'alice' })).toBeUndefined();
    // Text alone still works.
    expect((await alice.say('hello')).status).toBe(200);
  });
});
