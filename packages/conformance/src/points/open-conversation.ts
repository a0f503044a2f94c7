import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { message, openConversation } from '../point-helpers.js';

const suite = 'open conversation';

export const openConversationPoints: ContractPoint[] = [
  contractPoint({
    id: 'open-conversation/for-user',
    suite,
    title: 'opens a conversation that belongs to the user',
    async run(context) {
      const { conversationId, supportUserId } = await openConversation(context);
      const conversation = await context.harness.getConversation(conversationId);
      check(conversation !== undefined, `the backend has no conversation ${conversationId}`);
      checkEqual(conversation.supportUserId, supportUserId, 'the user of the conversation');
      check(conversation.status !== 'resolved', 'a new conversation must not be resolved');
    },
  }),
  contractPoint({
    id: 'open-conversation/held-back',
    suite,
    title: 'holds the conversation back from agents until the transfer',
    skipUnless: ({ capabilities }) =>
      capabilities.holdsConversationUntilTransfer
        ? undefined
        : 'the adapter declares holdsConversationUntilTransfer: false',
    async run(context) {
      const { conversationId } = await openConversation(context);
      const conversation = await context.harness.getConversation(conversationId);
      checkEqual(conversation?.status, 'held', 'the status before the transfer');
      checkEqual(conversation?.agentsNotified, false, 'agents notified before the transfer');
    },
  }),
  contractPoint({
    id: 'open-conversation/new-each-time',
    suite,
    title: 'opens a new conversation each time, never reusing one (resolved ones included)',
    async run(context) {
      const first = await openConversation(context);
      await context.adapter.closeSession({ conversationId: first.conversationId });
      const { conversationId: second } = await context.adapter.openConversation({
        supportUserId: first.supportUserId,
        sessionId: context.uniqueId('session'),
        handoffId: context.uniqueId('handoff'),
      });
      check(second !== first.conversationId, `the second conversation reused ${first.conversationId}`);
      checkEqual(
        (await context.harness.getConversation(first.conversationId))?.status,
        'resolved',
        'the first one',
      );
      const reopened = await context.harness.getConversation(second);
      check(
        reopened !== undefined && reopened.status !== 'resolved',
        'the second conversation must be new and not resolved',
      );
    },
  }),
  contractPoint({
    id: 'open-conversation/recover',
    suite,
    title: 'with recover, finds the conversation already opened for the same handoff',
    async run(context) {
      const { supportUserId, conversationId, handoffId } = await openConversation(context);
      const again = await context.adapter.openConversation({
        supportUserId,
        sessionId: context.uniqueId('session'),
        handoffId,
        recover: true,
      });
      checkEqual(again.conversationId, conversationId, 'the conversation of the recovered handoff');
      checkEqual(again.recovered, true, 'recovered');
    },
  }),
  contractPoint({
    id: 'open-conversation/first-message',
    suite,
    title: 'a first message is either in the new conversation (once, even when posted again) or not at all',
    async run(context) {
      const userId = context.uniqueId('user');
      const { supportUserId } = await context.adapter.ensureUser({
        user: { id: userId, name: 'Conformance User' },
      });
      const first = message(context, 'user', `I want a refund (${context.uniqueId('first')})`);
      const opened = await context.adapter.openConversation({
        supportUserId,
        sessionId: context.uniqueId('session'),
        handoffId: context.uniqueId('handoff'),
        firstMessage: first,
      });
      const texts = async () =>
        ((await context.harness.getConversation(opened.conversationId))?.messages ?? [])
          .filter((item) => item.text === first.text)
          .map((item) => item.author);
      checkEqual(
        await texts(),
        opened.postedFirstMessage === true ? ['user'] : [],
        'the first message in the conversation',
      );
      await context.adapter.postMessages({
        conversationId: opened.conversationId,
        messages: [first],
        recover: true,
      });
      checkEqual(await texts(), ['user'], 'copies of the first message after posting it (recover)');
    },
  }),
];
