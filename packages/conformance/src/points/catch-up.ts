import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { eventsFrom, transferredConversation } from '../point-helpers.js';

const suite = 'catch up';
const skipUnless: ContractPoint['skipUnless'] = ({ capabilities }) =>
  capabilities.catchUp ? undefined : 'the adapter declares catchUp: false';

export const catchUpPoints: ContractPoint[] = [
  contractPoint({
    id: 'catch-up/missed-replies',
    suite,
    title: 'agent replies whose webhooks never arrived are read back, with the webhooks’ event ids',
    skipUnless,
    async run(context) {
      const sync = context.adapter.syncConversation?.bind(context.adapter);
      check(sync !== undefined, 'the adapter declares catchUp but has no syncConversation');
      const { conversationId } = await transferredConversation(context);
      await context.harness.takeWebhooks();
      // The receiver was down: these webhooks were sent and lost.
      const first = await context.harness.agentReply(conversationId, { text: 'Sent while you were down' });
      const second = await context.harness.agentReply(conversationId, { text: 'And a second one' });
      const synced = await sync({ conversationId });
      const replies = synced.events.filter((event) => event.type === 'agent.message');
      checkEqual(
        replies.map((event) => (event.type === 'agent.message' ? event.message.text : '')),
        ['Sent while you were down', 'And a second one'],
        'agent messages read back',
      );
      const fromWebhooks = (
        await eventsFrom({ ...context, adapter: await context.freshAdapter() }, [...first, ...second])
      )
        .filter((event) => event.type === 'agent.message')
        .map((event) => event.id);
      checkEqual(
        replies.map((event) => event.id),
        fromWebhooks,
        'event ids, compared with those of the webhooks',
      );
      const lastId = replies.at(-1)?.type === 'agent.message' ? replies.at(-1)?.message.id : undefined;
      const later = await sync({
        conversationId,
        ...(lastId === undefined ? {} : { afterMessageId: lastId }),
      });
      checkEqual(
        later.events.filter((event) => event.type === 'agent.message').length,
        0,
        'agent messages after the last one seen',
      );
    },
  }),
  contractPoint({
    id: 'catch-up/missed-close',
    suite,
    title: 'a close whose webhook never arrived is read back as conversation.closed',
    skipUnless,
    async run(context) {
      const sync = context.adapter.syncConversation?.bind(context.adapter);
      check(sync !== undefined, 'the adapter declares catchUp but has no syncConversation');
      const { conversationId } = await transferredConversation(context);
      const before = await sync({ conversationId });
      checkEqual(
        before.events.filter((event) => event.type === 'conversation.closed').length,
        0,
        'closes of an open conversation',
      );
      await context.harness.resolve(conversationId);
      const after = await sync({ conversationId });
      const closed = after.events.filter((event) => event.type === 'conversation.closed');
      checkEqual(closed.length, 1, 'conversation.closed events');
      checkEqual(closed[0]?.conversationId, conversationId, 'the conversation of the event');
    },
  }),
];
