import type { SupportEvent, WebhookRequest } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import {
  checkedEvents,
  eventsFrom,
  eventText,
  message,
  repeatedEventIds,
  severalConversations,
} from '../point-helpers.js';

const suite = 'several';

/** Ids that differ only in case, by a suffix, or by characters a query string must encode. */
function lookalikeIds(context: PointContext): string[] {
  const base = context.uniqueId('User');
  const digits = String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999));
  return [
    base,
    base.toLowerCase(),
    base.toUpperCase(),
    `${base}0`,
    `${base}+tag@example.com`,
    `${base}/a?b=c&d=e#f`,
    `${base} Ünïcødé 名前`,
    digits,
    `${digits}1`,
  ];
}

export const severalPoints: ContractPoint[] = [
  contractPoint({
    id: 'several/user-ids',
    suite,
    title:
      'user ids are exact: ids differing only in case, by a suffix or in characters to encode are different users',
    async run(context) {
      // One name for all: names are not unique, ids are.
      const ids = lookalikeIds(context);
      const first = new Map<string, string>();
      for (const id of ids) {
        const { supportUserId, created } = await context.adapter.ensureUser({
          user: { id, name: 'Alex Kim' },
        });
        checkEqual(created, true, `created, for the new user ${JSON.stringify(id)}`);
        first.set(id, supportUserId);
      }
      checkEqual(new Set(first.values()).size, ids.length, `distinct support users for ${ids.length} ids`);
      const fresh = await context.freshAdapter();
      for (const id of [...ids].reverse()) {
        const { supportUserId } = await fresh.ensureUser({ user: { id, name: 'Alex Kim' } });
        checkEqual(
          supportUserId,
          first.get(id),
          `the user a second instance finds for ${JSON.stringify(id)}`,
        );
        const stored = await context.harness.findUsers({ externalId: id });
        checkEqual(
          stored.map((user) => [user.supportUserId, user.externalId]),
          [[first.get(id), id]],
          `users stored under the exact id ${JSON.stringify(id)}`,
        );
      }
    },
  }),
  contractPoint({
    id: 'several/ensure-user-repeated',
    suite,
    title: 'the third and the tenth ensureUser of a user give the same user, among other users',
    async run(context) {
      const id = context.uniqueId('user');
      const others = [context.uniqueId('user'), context.uniqueId('user')];
      const first = await context.adapter.ensureUser({ user: { id, name: 'Sam Lee' } });
      const otherIds = new Map<string, string>();
      const restarted = await context.freshAdapter();
      for (let call = 2; call <= 10; call += 1) {
        const adapter = call % 3 === 0 ? restarted : context.adapter;
        const other = others[call % 2] as string;
        const { supportUserId } = await adapter.ensureUser({ user: { id: other, name: 'Sam Lee' } });
        checkEqual(
          supportUserId,
          otherIds.get(other) ?? supportUserId,
          `the user of ${other} on call ${call}`,
        );
        otherIds.set(other, supportUserId);
        const again = await adapter.ensureUser({ user: { id, name: 'Sam Lee' } });
        checkEqual(again.supportUserId, first.supportUserId, `the user of ensureUser call ${call}`);
        checkEqual(again.created, false, `created, on ensureUser call ${call}`);
      }
      checkEqual((await context.harness.findUsers({ externalId: id })).length, 1, `users stored under ${id}`);
      for (const other of others)
        checkEqual(
          (await context.harness.findUsers({ externalId: other })).length,
          1,
          `users stored under ${other}`,
        );
    },
  }),
  contractPoint({
    id: 'several/conversations',
    suite,
    title: 'conversations of two users stay apart: each has its own messages, posted ids are unique',
    async run(context) {
      const conversations = await severalConversations(context);
      const sent = new Map<string, string[]>();
      const supportIds: string[] = [];
      // Interleaved: 1, 2, 3, 1, 2, 3, 1.
      for (let round = 0; round < 7; round += 1) {
        const target = conversations[round % 3];
        check(target !== undefined, 'no conversation');
        const item = message(
          context,
          round % 2 === 0 ? 'user' : 'bot',
          `round ${round} (${context.uniqueId('text')})`,
        );
        const { posted } = await context.adapter.postMessages({
          conversationId: target.conversationId,
          messages: [item],
        });
        checkEqual(
          posted.map((entry) => entry.id),
          [item.id],
          `the ids postMessages reports for round ${round}`,
        );
        supportIds.push(...posted.map((entry) => entry.supportMessageId));
        sent.set(target.conversationId, [...(sent.get(target.conversationId) ?? []), item.text]);
      }
      check(
        supportIds.every((id) => typeof id === 'string' && id !== ''),
        `every posted message needs its support id, got ${JSON.stringify(supportIds)}`,
      );
      checkEqual(
        new Set(supportIds).size,
        supportIds.length,
        `distinct support message ids (${supportIds.join(', ')})`,
      );
      for (const conversation of conversations) {
        const stored = (await context.harness.getConversation(conversation.conversationId))?.messages ?? [];
        const mine = sent.get(conversation.conversationId) ?? [];
        const kitTexts = stored.map((item) => item.text).filter((text) => text.startsWith('round '));
        checkEqual(kitTexts, mine, `the kit's messages in conversation ${conversation.conversationId}`);
      }
    },
  }),
  contractPoint({
    id: 'several/agent-events',
    suite,
    title:
      'agent events of several conversations carry their own conversation (and session), with ids unique across all',
    async run(context) {
      const conversations = await severalConversations(context);
      const events: Array<{ acted: string; event: SupportEvent }> = [];
      const feed = async (conversationId: string, requests: WebhookRequest[]) => {
        for (const event of await eventsFrom(context, requests))
          events.push({ acted: conversationId, event });
      };
      const [first, second, third] = conversations.map((item) => item.conversationId) as [
        string,
        string,
        string,
      ];
      const texts = new Map<string, string>();
      for (const [index, conversationId] of [first, second, first, third, second, first].entries()) {
        const text = `Agent reply ${index + 1} (${context.uniqueId('reply')})`;
        texts.set(text, conversationId);
        await feed(conversationId, await context.harness.agentReply(conversationId, { text }));
      }
      if (context.capabilities.privateNotes)
        await feed(
          second,
          await context.harness.agentNote(second, `Note for the second (${context.uniqueId('n')})`),
        );
      if (context.capabilities.agentTyping) await feed(third, await context.harness.agentTyping(third, true));
      if (context.capabilities.assignmentEvents) await feed(first, await context.harness.assignAgent(first));
      for (const { acted, event } of events) {
        checkEqual(event.conversationId, acted, `the conversation of ${event.type} ${event.id}`);
        const session = conversations.find((item) => item.conversationId === acted)?.sessionId;
        if (event.sessionId !== undefined)
          checkEqual(event.sessionId, session, `the session of ${event.type} ${event.id}`);
      }
      const replies = events.filter(({ event }) => event.type === 'agent.message');
      checkEqual(
        replies.map(({ event }) => [eventText(event), event.conversationId]),
        [...texts.entries()],
        'the agent messages, with their conversations',
      );
      checkEqual(repeatedEventIds(events.map(({ event }) => event)), [], 'event ids used twice');
    },
  }),
  contractPoint({
    id: 'several/catch-up',
    suite,
    title: 'catching up on one conversation reads only its own replies',
    skipUnless: ({ capabilities }) =>
      capabilities.catchUp ? undefined : 'the adapter declares catchUp: false',
    async run(context) {
      const conversations = await severalConversations(context);
      const sync = context.adapter.syncConversation?.bind(context.adapter);
      check(sync !== undefined, 'the adapter declares catchUp but has no syncConversation');
      const expected = new Map<string, string[]>();
      for (const [index, conversation] of [...conversations, conversations[0]].entries()) {
        if (conversation === undefined) continue;
        const text = `Missed reply ${index + 1} (${context.uniqueId('reply')})`;
        await context.harness.agentReply(conversation.conversationId, { text });
        expected.set(conversation.conversationId, [
          ...(expected.get(conversation.conversationId) ?? []),
          text,
        ]);
      }
      const ids: SupportEvent[] = [];
      for (const conversation of conversations) {
        const { events } = await sync({ conversationId: conversation.conversationId });
        checkedEvents(events, 'syncConversation');
        for (const event of events)
          checkEqual(
            event.conversationId,
            conversation.conversationId,
            `the conversation of ${event.type} ${event.id}`,
          );
        checkEqual(
          events.filter((event) => event.type === 'agent.message').map(eventText),
          expected.get(conversation.conversationId),
          `agent messages read back from ${conversation.conversationId}`,
        );
        ids.push(...events);
      }
      checkEqual(repeatedEventIds(ids), [], 'event ids used twice across conversations');
    },
  }),
  contractPoint({
    id: 'several/close',
    suite,
    title: 'closing one conversation leaves the others open; resolving one reports only that one',
    async run(context) {
      const conversations = await severalConversations(context);
      const [first, second, third] = conversations.map((item) => item.conversationId) as [
        string,
        string,
        string,
      ];
      await context.adapter.closeSession({ conversationId: second });
      checkEqual(
        (await context.harness.getConversation(second))?.status,
        'resolved',
        'the closed conversation',
      );
      for (const other of [first, third])
        check(
          (await context.harness.getConversation(other))?.status !== 'resolved',
          `closing ${second} resolved ${other} too`,
        );
      await context.harness.takeWebhooks();
      const events = await eventsFrom(context, await context.harness.resolve(third));
      const closed = events.filter((event) => event.type === 'conversation.closed');
      check(closed.length >= 1, `resolving ${third} gave no conversation.closed`);
      for (const event of closed)
        checkEqual(event.conversationId, third, 'the conversation of conversation.closed');
      check(
        (await context.harness.getConversation(first))?.status !== 'resolved',
        `resolving ${third} resolved ${first} too`,
      );
    },
  }),
  contractPoint({
    id: 'several/recover-open',
    suite,
    title: 'openConversation with recover finds the conversation of that handoff, not another of the user',
    async run(context) {
      const conversations = await severalConversations(context);
      for (const conversation of conversations) {
        const again = await (await context.freshAdapter()).openConversation({
          supportUserId: conversation.supportUserId,
          sessionId: conversation.sessionId,
          handoffId: conversation.handoffId,
          recover: true,
        });
        checkEqual(
          again.conversationId,
          conversation.conversationId,
          `the conversation of handoff ${conversation.handoffId}`,
        );
        checkEqual(again.recovered, true, `recovered, for handoff ${conversation.handoffId}`);
      }
    },
  }),
];
