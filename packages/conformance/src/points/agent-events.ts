import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import {
  afterAgentAction,
  eventsFrom,
  findEvent,
  message,
  transferredConversation,
} from '../point-helpers.js';

const suite = 'agent events';

export const agentEventPoints: ContractPoint[] = [
  contractPoint({
    id: 'agent-events/message',
    suite,
    title: 'an agent reply becomes agent.message with the conversation and the text',
    async run(context) {
      const text = `Hi, I am from the support team (${context.uniqueId('reply')})`;
      const { conversationId, events } = await afterAgentAction(context, (id) =>
        context.harness.agentReply(id, { text }),
      );
      const replies = events.filter((event) => event.type === 'agent.message');
      checkEqual(replies.length, 1, 'agent.message events for one reply');
      const [reply] = replies;
      checkEqual(reply?.conversationId, conversationId, 'the conversation of the event');
      checkEqual(
        reply?.type === 'agent.message' ? reply.message.text : undefined,
        text,
        'the text of the event',
      );
    },
  }),
  contractPoint({
    id: 'agent-events/no-echo',
    suite,
    title: "the bot's own posts never come back as agent.message",
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      await context.adapter.postMessages({
        conversationId,
        messages: [
          message(context, 'user', 'A user turn the bot mirrored'),
          message(context, 'bot', 'A bot turn the bot mirrored'),
          message(context, 'note', 'A note the bot left for agents'),
        ],
      });
      const requests = await context.harness.takeWebhooks();
      const echoes = (await eventsFrom(context, requests)).filter(
        (event) => event.type === 'agent.message' || event.type === 'agent.note',
      );
      checkEqual(
        echoes.map((event) =>
          event.type === 'agent.message'
            ? event.message.text
            : event.type === 'agent.note'
              ? event.note.text
              : '',
        ),
        [],
        `agent.message events from ${requests.length} webhooks of the bot's own posts`,
      );
    },
  }),
  contractPoint({
    id: 'agent-events/private-note',
    suite,
    title: "an agent's private note never reaches the user",
    skipUnless: ({ capabilities }) =>
      capabilities.privateNotes ? undefined : 'the adapter declares privateNotes: false',
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      await context.harness.takeWebhooks();
      const events = await eventsFrom(
        context,
        await context.harness.agentNote(conversationId, 'Internal: VIP customer'),
      );
      checkEqual(
        events.filter((event) => event.type === 'agent.message').length,
        0,
        'agent.message events for a private note',
      );
    },
  }),
  contractPoint({
    id: 'agent-events/note',
    suite,
    title: "an agent's private note becomes agent.note (the summary the bot gets back)",
    skipUnless: ({ capabilities }) =>
      capabilities.privateNotes ? undefined : 'the adapter declares privateNotes: false',
    async run(context) {
      const text = `Refund issued; user may ask about delivery (${context.uniqueId('note')})`;
      const { conversationId, events } = await afterAgentAction(context, (id) =>
        context.harness.agentNote(id, text),
      );
      const note = findEvent(events, 'agent.note');
      checkEqual(note.conversationId, conversationId, 'the conversation of the event');
      checkEqual(note.note.text, text, 'the text of the note');
    },
  }),
  contractPoint({
    id: 'agent-events/closed',
    suite,
    title: 'resolving becomes conversation.closed',
    async run(context) {
      const { conversationId, events } = await afterAgentAction(context, (id) => context.harness.resolve(id));
      const closed = events.filter((event) => event.type === 'conversation.closed');
      check(
        closed.length >= 1,
        `no conversation.closed among ${events.map((event) => event.type).join(', ') || 'no events'}`,
      );
      checkEqual(closed[0]?.conversationId, conversationId, 'the conversation of the event');
      const closedBy = closed[0]?.type === 'conversation.closed' ? closed[0].closedBy : undefined;
      check(closedBy !== 'bot', 'an agent resolving must not be reported as closed by the bot');
    },
  }),
  contractPoint({
    id: 'agent-events/stable-ids',
    suite,
    title: 'the same webhook gives the same event ids (so duplicates can be dropped)',
    async run(context) {
      const { requests, events: first } = await afterAgentAction(context, (id) =>
        context.harness.agentReply(id, { text: 'Same reply, twice' }),
      );
      const other = await context.freshAdapter();
      const second: string[] = [];
      for (const request of requests) {
        second.push(
          ...(await other.handleWebhook({ headers: request.headers, body: request.body })).events.map(
            (event) => event.id,
          ),
        );
      }
      checkEqual(
        second,
        first.map((event) => event.id),
        'event ids from a second adapter instance',
      );
    },
  }),
  contractPoint({
    id: 'agent-events/typing',
    suite,
    title: 'agent typing becomes agent.typing',
    skipUnless: ({ capabilities }) =>
      capabilities.agentTyping ? undefined : 'the adapter declares agentTyping: false',
    async run(context) {
      const { conversationId, events } = await afterAgentAction(context, async (id) => [
        ...(await context.harness.agentTyping(id, true)),
        ...(await context.harness.agentTyping(id, false)),
        ...(await context.harness.agentTyping(id, true)),
      ]);
      const typing = events.filter((event) => event.type === 'agent.typing');
      checkEqual(
        typing.map((event) => (event.type === 'agent.typing' ? [event.conversationId, event.typing] : [])),
        [
          [conversationId, true],
          [conversationId, false],
          [conversationId, true],
        ],
        'agent.typing events for typing, stopping and typing again',
      );
      // Without delivery ids two typings of one agent can look the same; with them, each is its own.
      if (context.harness.features?.deliveryIds !== false)
        checkEqual(
          new Set(typing.map((event) => event.id)).size,
          3,
          'distinct ids of the three typing events',
        );
      checkEqual(
        events.filter((event) => event.type === 'agent.message').length,
        0,
        'agent messages for typing',
      );
    },
  }),
  contractPoint({
    id: 'agent-events/assigned',
    suite,
    title: 'an agent taking the conversation becomes agent.assigned with their name',
    skipUnless: ({ capabilities }) =>
      capabilities.assignmentEvents ? undefined : 'the adapter declares assignmentEvents: false',
    async run(context) {
      const { conversationId, events } = await afterAgentAction(context, (id) =>
        context.harness.assignAgent(id),
      );
      const assigned = findEvent(events, 'agent.assigned');
      checkEqual(assigned.conversationId, conversationId, 'the conversation of the event');
      if (context.harness.agentName !== undefined)
        checkEqual(assigned.agent?.name, context.harness.agentName, 'the agent name');
    },
  }),
];
