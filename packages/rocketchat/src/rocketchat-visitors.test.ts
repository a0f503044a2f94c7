// Rocket.Chat upserts a visitor by token, then by phone, then by email (Visitors.registerGuest):
// people who share an email or a phone must still be visitors of their own, or their messages
// would cross. These run the adapter against the fake, which follows that rule.
import { afterEach, describe, expect, it } from 'vitest';
import { createRocketChatAdapter } from './rocketchat-adapter.js';
import { type FakeRocketChat, rocketChatSettingsFor, startFakeRocketChat } from './testing/index.js';

const fakes: FakeRocketChat[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function setup() {
  const fake = await startFakeRocketChat();
  fakes.push(fake);
  const adapter = createRocketChatAdapter({ ...rocketChatSettingsFor(fake), env: {} });
  return { fake, adapter };
}

/** `POST livechat/visitor` as a widget would call it, straight to the fake. */
async function postVisitor(fake: FakeRocketChat, visitor: Record<string, unknown>) {
  const response = await fetch(`${fake.baseUrl}/api/v1/livechat/visitor`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitor }),
  });
  return (await response.json()) as { visitor: { _id: string; token: string } };
}

describe('visitors of people who share an email or a phone', () => {
  it('the fake merges a new token into the visitor with that email (taking the token) or that phone (keeping its own), as Rocket.Chat does', async () => {
    const { fake } = await setup();
    const first = await postVisitor(fake, { token: 'token-a', email: 'Shared@Example.com ' });
    const byEmail = await postVisitor(fake, { token: 'token-b', email: 'shared@example.com' });
    expect(byEmail.visitor).toEqual(expect.objectContaining({ _id: first.visitor._id, token: 'token-b' }));
    const phoned = await postVisitor(fake, { token: 'token-c', phone: '+15550100' });
    const byPhone = await postVisitor(fake, { token: 'token-d', phone: '+15550100' });
    expect(byPhone.visitor).toEqual(expect.objectContaining({ _id: phoned.visitor._id, token: 'token-c' }));
  });

  it('gives two users with the same email and phone visitors of their own, each still found by its token', async () => {
    const { fake, adapter } = await setup();
    const profile = { email: 'family@example.com', phone: '+15550199' };
    const ada = await adapter.ensureUser({ user: { id: 'ada', name: 'Ada', ...profile } });
    const bob = await adapter.ensureUser({ user: { id: 'bob', name: 'Bob', ...profile } });
    expect(bob.supportUserId).not.toBe(ada.supportUserId);
    expect(await adapter.ensureUser({ user: { id: 'ada', name: 'Ada', ...profile } })).toEqual({
      supportUserId: ada.supportUserId,
      created: false,
    });
    const visitors = fake.state.visitors.filter((visitor) =>
      visitor.visitorEmails?.some((entry) => entry.address === profile.email),
    );
    expect(visitors.map((visitor) => visitor.livechatData.handoff_user_id).sort()).toEqual(['ada', 'bob']);
  });

  it("keeps each user's handoff in its own room: messages never cross", async () => {
    const { fake, adapter } = await setup();
    const profile = { email: 'family@example.com', phone: '+15550199' };
    const ada = await adapter.ensureUser({ user: { id: 'ada', name: 'Ada', ...profile } });
    const bob = await adapter.ensureUser({ user: { id: 'bob', name: 'Bob', ...profile } });
    const adaRoom = await adapter.openConversation({
      supportUserId: ada.supportUserId,
      sessionId: 's-ada',
      handoffId: 'h-ada',
    });
    const bobRoom = await adapter.openConversation({
      supportUserId: bob.supportUserId,
      sessionId: 's-bob',
      handoffId: 'h-bob',
    });
    expect(bobRoom.conversationId).not.toBe(adaRoom.conversationId);
    const at = new Date().toISOString();
    await adapter.postMessages({
      conversationId: adaRoom.conversationId,
      messages: [{ id: 'ada-1', author: 'user', text: 'from Ada', createdAt: at }],
    });
    await adapter.postMessages({
      conversationId: bobRoom.conversationId,
      messages: [{ id: 'bob-1', author: 'user', text: 'from Bob', createdAt: at }],
    });
    const textsOf = (roomId: string) =>
      fake.state.messages.filter((message) => message.rid === roomId).map((message) => message.msg);
    expect(textsOf(adaRoom.conversationId)).toEqual(['from Ada']);
    expect(textsOf(bobRoom.conversationId)).toEqual(['from Bob']);
  });
});
