import type { WebhookRequest } from '@handoff/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemorySystemChange, MemorySystemPersistence } from './change-journal.js';
import { createMemorySupportSystem, type MemorySystemState } from './memory-support-system.js';

const token = 'memory-api-token-for-tests';

/** A store that keeps every committed record, as the runtime's SQLite or Redis tables do. */
function recordingStore() {
  const users = new Map<string, MemorySystemChange['users'][number]>();
  const conversations = new Map<string, MemorySystemChange['conversations'][number]>();
  let counters: MemorySystemChange['counters'] | undefined;
  let failing = false;
  const commits: MemorySystemChange[] = [];
  const persistence: MemorySystemPersistence = {
    async commit(change) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (failing) throw new Error('disk full');
      commits.push(change);
      for (const user of change.users) users.set(user.id, user);
      for (const conversation of change.conversations) conversations.set(conversation.id, conversation);
      counters = change.counters;
    },
  };
  return {
    persistence,
    commits,
    fail: (value: boolean) => {
      failing = value;
    },
    /** What a restarted system would load. */
    state: (): MemorySystemState | undefined =>
      counters === undefined
        ? undefined
        : { users: [...users.values()], conversations: [...conversations.values()], counters },
  };
}

async function call(system: ReturnType<typeof createMemorySupportSystem>, operation: never, body: unknown) {
  const response = await system.request({ operation, token, body });
  return { status: response.status, body: JSON.parse(response.body) as unknown };
}

describe('in-process support system: durable state', () => {
  it('saves a change before it answers the call that made it', async () => {
    const store = recordingStore();
    const system = createMemorySupportSystem({ apiToken: token, persistence: store.persistence });
    const { body } = await call(system, 'users.create' as never, { externalId: 'ada' });
    expect(store.state()?.users.map((user) => user.externalId)).toEqual(['ada']);
    expect((body as { user: { id: string } }).user.id).toBe('u1');
  });

  it('sends the webhooks of a change only once it is saved', async () => {
    const store = recordingStore();
    const system = createMemorySupportSystem({ apiToken: token, persistence: store.persistence });
    const { body: user } = await call(system, 'users.create' as never, { externalId: 'ada' });
    const { body: opened } = await call(system, 'conversations.create' as never, {
      userId: (user as { user: { id: string } }).user.id,
    });
    const conversationId = (opened as { conversation: { id: string } }).conversation.id;
    const seen: Array<{ saved: boolean }> = [];
    system.subscribe((request: WebhookRequest) => {
      const payload = JSON.parse(request.body) as { message?: { text: string } };
      const saved = store
        .state()
        ?.conversations.find((conversation) => conversation.id === conversationId)
        ?.messages.some((message) => message.text === payload.message?.text);
      seen.push({ saved: saved === true });
    });
    system.reply(conversationId, { text: 'Hello from an agent' });
    await system.idle();
    expect(seen).toEqual([{ saved: true }]);
  });

  it('answers 503 when the change cannot be saved, and saves it with the next change', async () => {
    const store = recordingStore();
    const system = createMemorySupportSystem({ apiToken: token, persistence: store.persistence });
    store.fail(true);
    const refused = await call(system, 'users.create' as never, { externalId: 'grace' });
    expect(refused.status).toBe(503);
    store.fail(false);
    await call(system, 'teams.list' as never, {});
    await call(system, 'users.create' as never, { externalId: 'linus' });
    expect(
      store
        .state()
        ?.users.map((user) => user.externalId)
        .sort(),
    ).toEqual(['grace', 'linus']);
  });

  it('never hands out an id twice across restarts, whatever is done in between', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('user', 'conversation', 'message', 'restart', 'reply'), {
          minLength: 1,
          maxLength: 25,
        }),
        async (steps) => {
          const store = recordingStore();
          const start = () =>
            createMemorySupportSystem({
              apiToken: token,
              persistence: store.persistence,
              ...(store.state() === undefined ? {} : { initialState: store.state() }),
            });
          let system = start();
          const ids = {
            user: new Set<string>(),
            conversation: new Set<string>(),
            message: new Set<string>(),
          };
          const unique = (kind: keyof typeof ids, id: string) => {
            expect(ids[kind].has(id), `${kind} id ${id} handed out twice`).toBe(false);
            ids[kind].add(id);
          };
          let userId: string | undefined;
          let conversationId: string | undefined;
          for (const step of steps) {
            if (step === 'restart') {
              await system.idle();
              system = start();
            } else if (step === 'user' || userId === undefined) {
              const { body } = await call(system, 'users.create' as never, {
                externalId: `user-${ids.user.size}`,
              });
              userId = (body as { user: { id: string } }).user.id;
              unique('user', userId);
            } else if (step === 'conversation' || conversationId === undefined) {
              const { body } = await call(system, 'conversations.create' as never, { userId });
              conversationId = (body as { conversation: { id: string } }).conversation.id;
              unique('conversation', conversationId);
            } else if (step === 'message') {
              const { body } = await call(system, 'messages.create' as never, {
                conversationId,
                messages: [{ author: 'user', text: 'hi' }],
              });
              unique('message', (body as { messages: Array<{ id: string }> }).messages[0]?.id ?? '');
            } else {
              unique('message', system.reply(conversationId, { text: 'agent' }).id);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
