import { isSupportError, type SupportAdapter, type SupportEvent } from '@handoff/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIntercomAdapter } from './intercom-adapter.js';
import type { IntercomSettings } from './intercom-settings.js';
import { createIntercomHarness, type IntercomHarness, intercomSettingsFor } from './testing/index.js';

let harness: IntercomHarness;

beforeEach(async () => {
  harness = await createIntercomHarness();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await harness.close?.();
});

/** A new adapter instance on the fake, as after a restart: nothing cached. */
const adapterOn = (overrides: IntercomSettings = {}): SupportAdapter =>
  createIntercomAdapter({ ...intercomSettingsFor(harness.fake), env: {}, ...overrides });

const contactsOf = (externalId: string) =>
  harness.fake.contacts().filter((contact) => contact.externalId === externalId);

const calls = () => harness.fake.requests.map((request) => `${request.method} ${request.path}`);

/** Ensures the user and opens a conversation as the engine does on a handoff. */
async function handOff(adapter: SupportAdapter, user: { id: string; name?: string; email?: string }) {
  const { supportUserId } = await adapter.ensureUser({ user });
  const { conversationId } = await adapter.openConversation({
    supportUserId,
    sessionId: `session-${user.id}`,
    handoffId: `handoff-${user.id}`,
    firstMessage: { id: 'm1', author: 'user', text: 'I need a human', createdAt: new Date().toISOString() },
  });
  return { supportUserId, conversationId };
}

describe('archived and deleted Intercom contacts', () => {
  it('hands off a user whose contact was archived: unarchived, with its history, and no second contact', async () => {
    const first = await handOff(adapterOn(), { id: 'user-archived', name: 'Ann' });
    harness.fake.archiveContact(first.supportUserId);
    harness.fake.requests.length = 0;

    const again = adapterOn();
    const ensured = await again.ensureUser({ user: { id: 'user-archived', name: 'Ann' } });
    expect(ensured).toEqual({ supportUserId: first.supportUserId, created: false });
    expect(calls()).toEqual(['POST /contacts', `POST /contacts/${first.supportUserId}/unarchive`]);
    const { conversationId } = await again.openConversation({
      supportUserId: ensured.supportUserId,
      sessionId: 's2',
      handoffId: 'h2',
    });
    expect((await harness.getConversation(conversationId))?.supportUserId).toBe(first.supportUserId);
    expect(contactsOf('user-archived')).toEqual([
      expect.objectContaining({ id: first.supportUserId, archived: false }),
    ]);
    // Its earlier conversation is still there, as Intercom restores "all associated conversations".
    expect(await harness.getConversation(first.conversationId)).toBeDefined();
  });

  it('with an email: tries without it first, then unarchives the contact of its own external id', async () => {
    const user = { id: 'user-mail', name: 'Ann', email: 'ann@example.test' };
    const { supportUserId } = await handOff(adapterOn(), user);
    harness.fake.archiveContact(supportUserId);
    harness.fake.requests.length = 0;

    expect(await adapterOn().ensureUser({ user })).toEqual({ supportUserId, created: false });
    expect(calls()).toEqual([
      'POST /contacts',
      'POST /contacts',
      `POST /contacts/${supportUserId}/unarchive`,
    ]);
    expect(harness.fake.requests[1]?.body).toEqual({ role: 'user', external_id: 'user-mail', name: 'Ann' });
    expect(contactsOf('user-mail')).toEqual([expect.objectContaining({ archived: false })]);
  });

  it("never unarchives someone else's archived contact that has the user's email", async () => {
    const other = await adapterOn().ensureUser({
      user: { id: 'someone-else', email: 'shared@example.test' },
    });
    harness.fake.archiveContact(other.supportUserId);

    const mine = await adapterOn().ensureUser({ user: { id: 'user-new', email: 'shared@example.test' } });
    expect(mine.created).toBe(false);
    expect(mine.supportUserId).not.toBe(other.supportUserId);
    expect(contactsOf('someone-else')).toEqual([expect.objectContaining({ archived: true })]);
    expect(contactsOf('user-new')).toEqual([expect.objectContaining({ email: null, archived: false })]);
  });

  it('forgets a contact it remembered once Intercom answers 404 for it, so the engine can look the user up again', async () => {
    const adapter = adapterOn();
    const { supportUserId } = await handOff(adapter, { id: 'user-cached' });
    harness.fake.archiveContact(supportUserId);

    // The engine opens with the remembered id; a not_found makes it drop it and ensure the user again.
    const opening = adapter.openConversation({ supportUserId, sessionId: 's2', handoffId: 'h2' });
    await expect(opening).rejects.toMatchObject({ code: 'not_found' });
    const ensured = await adapter.ensureUser({ user: { id: 'user-cached' } });
    expect(ensured.supportUserId).toBe(supportUserId);
    await adapter.openConversation({
      supportUserId: ensured.supportUserId,
      sessionId: 's2',
      handoffId: 'h2',
    });
    expect(contactsOf('user-cached')).toEqual([expect.objectContaining({ archived: false })]);
  });

  it('reports a deleted contact as a conflict that retrying does not solve, creating nothing', async () => {
    const { supportUserId } = await handOff(adapterOn(), { id: 'user-deleted' });
    harness.fake.deleteContact(supportUserId);

    const failure = await adapterOn()
      .ensureUser({ user: { id: 'user-deleted' } })
      .catch((error: unknown) => error);
    expect(isSupportError(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'conflict', retryable: false, status: 400 });
    expect(String((failure as Error).message)).toContain('deleted contact');
    expect(contactsOf('user-deleted')).toEqual([
      expect.objectContaining({ id: supportUserId, deleted: true }),
    ]);
  });
});

describe('team availability and away mode', () => {
  const orders = async () => {
    const team = (await harness.teams()).find((candidate) => candidate.name === 'Orders');
    if (team === undefined) throw new Error('no Orders team');
    return team.id;
  };
  const omar = () => harness.fake.admins().find((admin) => admin.name === 'Omar')?.id ?? '';

  it('sees a teammate back from away mode at the next check once admin.away_mode_updated arrives', async () => {
    const adapter = adapterOn();
    const team = await orders();
    expect(await adapter.teamAvailability?.({ team })).toEqual({ available: false, reason: 'no_agents' });

    harness.fake.setAdminAway(omar(), false);
    // Within the cache's bound, and without the notification, the last answer stands.
    expect(await adapter.teamAvailability?.({ team })).toMatchObject({ available: false });
    const notifications = await harness.takeWebhooks();
    expect(notifications.map((delivery) => (JSON.parse(delivery.body) as { topic: string }).topic)).toEqual([
      'admin.away_mode_updated',
    ]);
    for (const delivery of notifications) {
      expect(await adapter.handleWebhook({ headers: delivery.headers, body: delivery.body })).toMatchObject({
        events: [],
      });
    }
    expect(await adapter.teamAvailability?.({ team })).toEqual({ available: true });

    // Going away again is seen the same way.
    harness.fake.setAdminAway(omar(), true);
    for (const delivery of await harness.takeWebhooks()) {
      await adapter.handleWebhook({ headers: delivery.headers, body: delivery.body });
    }
    expect(await adapter.teamAvailability?.({ team })).toMatchObject({ available: false });
  });

  it('without the notification, sees the change within adminsCacheTtlMs (30 s by default)', async () => {
    const adapter = adapterOn();
    const team = await orders();
    expect(await adapter.teamAvailability?.({ team })).toMatchObject({ available: false });
    harness.fake.setAdminAway(omar(), false);
    const start = Date.now();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => start + 29_000);
    expect(await adapter.teamAvailability?.({ team })).toMatchObject({ available: false });
    now.mockImplementation(() => start + 30_000);
    expect(await adapter.teamAvailability?.({ team })).toEqual({ available: true });
    // The admins were read twice: at the first check and once the bound had passed.
    expect(calls().filter((call) => call === 'GET /admins')).toHaveLength(2);
  });
});

describe('notifications in any order', () => {
  it('makes the same events of an agent session whatever order its notifications arrive in', async () => {
    const adapter = adapterOn();
    const { conversationId } = await handOff(adapter, { id: 'user-order' });
    const [support] = await harness.teams();
    await adapter.transfer({ conversationId, team: support?.id ?? '' });
    await harness.takeWebhooks();
    const deliveries = [
      ...(await harness.assignAgent(conversationId)),
      ...(await harness.agentReply(conversationId, { text: 'Hello, Anna here' })),
      ...(await harness.agentNote(conversationId, 'Checking')),
      ...(await harness.agentReply(conversationId, { text: 'Found it' })),
      ...(await harness.resolve(conversationId)),
    ];
    expect(deliveries).toHaveLength(5);
    const eventsOf = async (order: typeof deliveries, receiver: SupportAdapter) => {
      const events: SupportEvent[] = [];
      for (const delivery of order) {
        events.push(
          ...(await receiver.handleWebhook({ headers: delivery.headers, body: delivery.body })).events,
        );
      }
      return events.map((event) => `${event.type} ${event.id}`).sort();
    };
    const inOrder = await eventsOf(deliveries, adapterOn());
    expect(inOrder.map((line) => line.split(' ')[0])).toEqual([
      'agent.assigned',
      'agent.message',
      'agent.message',
      'agent.note',
      'conversation.closed',
    ]);
    expect(await eventsOf([...deliveries].reverse(), adapterOn())).toEqual(inOrder);
  });
});
