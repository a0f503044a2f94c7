import type { SupportAdapter, SupportEvent, TranscriptMessage, WebhookRequest } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import type { PointContext } from '../contract-point.js';
import { checkedEvents, eventText, message, openConversation } from '../point-helpers.js';
import type { SequenceAction } from './sequence-actions.js';

/** What the contract says one conversation of a run holds, as far as the kit has driven it. */
interface ConversationModel {
  conversationId: string;
  status: 'held' | 'open' | 'resolved';
  /** Resolved at least once before (a second close may repeat the first's id, so it may not show). */
  everResolved: boolean;
  /** Texts the bot posted, in order. */
  posted: string[];
  lastBatch?: TranscriptMessage[];
  /** The adapter instance that posted it (a restarted one must be told to recover). */
  lastBatchBy?: SupportAdapter;
  /** Agent replies in order, with the event id their webhook gave. */
  replies: Array<{ text: string; eventId?: string }>;
  /** How many replies catching up has already returned, and the last one's message id. */
  synced: number;
  afterMessageId?: string;
}

/**
 * Runs one random sequence against the harness and checks every step against the model of the
 * contract. Throws a ConformanceFailure naming the step that broke it.
 */
export async function runSequence(
  context: PointContext,
  actions: readonly SequenceAction[],
  fileUrl: (name: string, size: number) => string,
): Promise<void> {
  let adapter: SupportAdapter = context.adapter;
  const teams = await context.harness.teams();
  const team = teams[1] ?? teams[0];
  check(team !== undefined, 'the harness backend has no team');
  const first = await openConversation(context);
  await adapter.transfer({ conversationId: first.conversationId, team: team.id });
  const second = await openConversation(context);
  const conversations: ConversationModel[] = [
    {
      conversationId: first.conversationId,
      status: 'open',
      everResolved: false,
      posted: [],
      replies: [],
      synced: 0,
    },
    {
      conversationId: second.conversationId,
      status: 'held',
      everResolved: false,
      posted: [],
      replies: [],
      synced: 0,
    },
  ];
  await context.harness.takeWebhooks();
  const eventOwners = new Map<string, string>();
  const capabilities = context.capabilities;
  const noDeliveryIds = context.harness.features?.deliveryIds === false;

  const feed = async (step: string, acted: ConversationModel, requests: WebhookRequest[]) => {
    const events: SupportEvent[] = [];
    for (const request of requests)
      events.push(...checkedEvents((await adapter.handleWebhook(request)).events, 'handleWebhook'));
    for (const event of events) {
      checkEqual(
        event.conversationId,
        acted.conversationId,
        `${step}: the conversation of ${event.type} ${event.id}`,
      );
      const owner = eventOwners.get(event.id);
      // Without delivery ids, two typings of one agent in one state can only look the same
      // (as agent-events/typing allows): nothing but a typing indicator rides on them.
      const sameTyping = event.type === 'agent.typing' && noDeliveryIds && owner === event.conversationId;
      check(
        owner === undefined ||
          sameTyping ||
          (event.type === 'conversation.closed' && owner === event.conversationId),
        `${step}: event id ${event.id} was already used`,
      );
      eventOwners.set(event.id, event.conversationId);
    }
    return events;
  };
  const only = (events: SupportEvent[], type: SupportEvent['type']) =>
    events.filter((event) => event.type === type);
  const noMessages = (step: string, events: SupportEvent[]) =>
    checkEqual(
      events.filter((event) => event.type === 'agent.message' || event.type === 'agent.note').map(eventText),
      [],
      `${step}: agent messages or notes`,
    );
  const withFile = (item: TranscriptMessage, name: string): TranscriptMessage => ({
    ...item,
    attachments: [{ url: fileUrl(name, 24), contentType: 'text/plain', name, size: 24 }],
  });

  for (const [index, action] of actions.entries()) {
    const step = `step ${index + 1} (${action.kind})`;
    await context.harness.takeWebhooks();
    if (action.kind === 'restart') {
      adapter = await context.freshAdapter();
      continue;
    }
    const model = conversations[action.conversation] as ConversationModel;
    const { conversationId } = model;
    switch (action.kind) {
      case 'post': {
        if (model.status === 'resolved') break;
        const batch = action.authors.map((author, position) => {
          const item = message(
            context,
            author,
            `${author} turn ${index + 1}.${position + 1} (${context.uniqueId('s')})`,
          );
          return action.file && position === 0 ? withFile(item, `${author}.txt`) : item;
        });
        await adapter.postMessages({ conversationId, messages: batch });
        noMessages(step, await feed(step, model, await context.harness.takeWebhooks()));
        model.posted.push(...batch.map((item) => item.text));
        model.lastBatch = batch;
        model.lastBatchBy = adapter;
        break;
      }
      case 'repost': {
        if (model.status === 'resolved' || model.lastBatch === undefined) break;
        // Without recover an adapter may trust its own records; a restarted one has none.
        const recover = action.recover || model.lastBatchBy !== adapter;
        await adapter.postMessages({ conversationId, messages: model.lastBatch, recover });
        noMessages(step, await feed(step, model, await context.harness.takeWebhooks()));
        break;
      }
      case 'reply': {
        if (model.status !== 'open') break;
        const botText = model.posted.at(-1);
        const text =
          action.sameTextAsBot && botText !== undefined
            ? botText
            : `Agent reply ${index + 1} (${context.uniqueId('r')})`;
        const label = {
          url: 'https://files.example.test/label.png',
          contentType: 'image/png',
          name: 'label.png',
          size: 2048,
        };
        const events = await feed(
          step,
          model,
          await context.harness.agentReply(conversationId, {
            text,
            ...(action.file ? { attachments: [label] } : {}),
          }),
        );
        const replies = only(events, 'agent.message');
        checkEqual(replies.map(eventText), [text], `${step}: agent messages for one reply`);
        const reply = replies[0];
        if (reply?.type === 'agent.message')
          checkEqual(
            reply.message.attachments?.length ?? 0,
            action.file ? 1 : 0,
            `${step}: files of the reply`,
          );
        model.replies.push({ text, ...(reply === undefined ? {} : { eventId: reply.id }) });
        break;
      }
      case 'note': {
        if (model.status !== 'open') break;
        const text = `Agent note ${index + 1} (${context.uniqueId('n')})`;
        const events = await feed(step, model, await context.harness.agentNote(conversationId, text));
        checkEqual(
          only(events, 'agent.message').map(eventText),
          [],
          `${step}: agent messages for a private note`,
        );
        checkEqual(only(events, 'agent.note').map(eventText), [text], `${step}: agent notes for one note`);
        break;
      }
      case 'typing': {
        if (model.status !== 'open') break;
        const events = await feed(step, model, await context.harness.agentTyping(conversationId, true));
        noMessages(step, events);
        if (capabilities.agentTyping)
          check(only(events, 'agent.typing').length >= 1, `${step}: no agent.typing for an agent typing`);
        break;
      }
      case 'assign': {
        if (model.status !== 'open') break;
        const events = await feed(step, model, await context.harness.assignAgent(conversationId));
        noMessages(step, events);
        // Whether taking it changes anything depends on who holds it already (the system may have
        // assigned someone on the transfer); agent-events/assigned checks the event itself.
        break;
      }
      case 'resolve': {
        if (model.status !== 'open') break;
        const events = await feed(step, model, await context.harness.resolve(conversationId));
        noMessages(step, events);
        const closed = only(events, 'conversation.closed');
        if (!model.everResolved)
          check(closed.length >= 1, `${step}: no conversation.closed for an agent resolving`);
        check(
          closed.every((event) => event.type === 'conversation.closed' && event.closedBy !== 'bot'),
          `${step}: an agent's resolve reported as closed by the bot`,
        );
        model.status = 'resolved';
        model.everResolved = true;
        break;
      }
      case 'reopen': {
        if (model.status !== 'resolved' || context.harness.reopen === undefined) break;
        noMessages(step, await feed(step, model, await context.harness.reopen(conversationId)));
        model.status = 'open';
        break;
      }
      case 'transfer': {
        if (model.status === 'resolved') break;
        const note = action.note ? `Routing note ${index + 1} (${context.uniqueId('t')})` : undefined;
        await adapter.transfer({
          conversationId,
          team: team.id,
          ...(note === undefined ? {} : { note }),
          ...(action.labels ? { labels: ['kit-sequence'] } : {}),
        });
        noMessages(step, await feed(step, model, await context.harness.takeWebhooks()));
        const stored = await context.harness.getConversation(conversationId);
        checkEqual(stored?.team?.id, team.id, `${step}: the team`);
        checkEqual(stored?.status, 'open', `${step}: the status`);
        if (note !== undefined)
          checkEqual(
            stored?.messages.filter((item) => item.text.includes(note)).length,
            1,
            `${step}: copies of the note`,
          );
        model.status = 'open';
        break;
      }
      case 'close': {
        if (model.status === 'resolved') break;
        const note = action.note ? `Closing note ${index + 1} (${context.uniqueId('c')})` : undefined;
        await adapter.closeSession({ conversationId, ...(note === undefined ? {} : { note }) });
        noMessages(step, await feed(step, model, await context.harness.takeWebhooks()));
        checkEqual(
          (await context.harness.getConversation(conversationId))?.status,
          'resolved',
          `${step}: the status`,
        );
        model.status = 'resolved';
        model.everResolved = true;
        break;
      }
      case 'sync': {
        check(
          adapter.syncConversation !== undefined,
          'the adapter declares catchUp but has no syncConversation',
        );
        const { events } = await adapter.syncConversation({
          conversationId,
          ...(model.afterMessageId === undefined ? {} : { afterMessageId: model.afterMessageId }),
        });
        checkedEvents(events, 'syncConversation');
        for (const event of events)
          checkEqual(
            event.conversationId,
            conversationId,
            `${step}: the conversation of ${event.type} ${event.id}`,
          );
        const replies = only(events, 'agent.message');
        const expected = model.replies.slice(model.synced);
        checkEqual(
          replies.map(eventText),
          expected.map((reply) => reply.text),
          `${step}: agent messages read back`,
        );
        checkEqual(
          replies.map((event) => event.id),
          expected.map((reply) => reply.eventId),
          `${step}: event ids read back, against the webhooks'`,
        );
        const last = replies.at(-1);
        if (last?.type === 'agent.message') model.afterMessageId = last.message.id;
        model.synced = model.replies.length;
        break;
      }
    }
  }

  for (const model of conversations) {
    const stored = (await context.harness.getConversation(model.conversationId))?.messages ?? [];
    const own = stored
      .filter((item) => item.author !== 'agent' && model.posted.includes(item.text))
      .map((item) => item.text);
    checkEqual(own, model.posted, `at the end, the bot's posts in conversation ${model.conversationId}`);
    const replies = stored.filter((item) => item.author === 'agent').map((item) => item.text);
    checkEqual(
      replies.filter((text) => model.replies.some((reply) => reply.text === text)),
      model.replies.map((reply) => reply.text),
      `at the end, the agent's replies in conversation ${model.conversationId}`,
    );
  }
}
