import type { SupportAdapter, SupportEvent, TranscriptMessage } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import {
  checkedEvents,
  eventText,
  message,
  transferredConversation,
  withServedFiles,
} from '../point-helpers.js';

const suite = 'echoes';

/** The bot's own posts: user, bot and note, each with text only and (capability) with a file. */
function ownPosts(
  context: PointContext,
  fileUrl: (name: string, size: number) => string,
): TranscriptMessage[] {
  const withFiles = context.capabilities.attachments !== false;
  return (['user', 'bot', 'note'] as const).flatMap((author) => [
    message(context, author, `Own ${author} post (${context.uniqueId('echo')})`),
    ...(withFiles
      ? [
          {
            ...message(context, author, `Own ${author} post with a file (${context.uniqueId('echo')})`),
            attachments: [
              {
                url: fileUrl(`${author}.txt`, 32),
                contentType: 'text/plain',
                name: `${author}.txt`,
                size: 32,
              },
            ],
          },
        ]
      : []),
  ]);
}

const agentEvents = (events: readonly SupportEvent[]) =>
  events.filter((event) => event.type === 'agent.message' || event.type === 'agent.note');

async function feed(
  adapter: SupportAdapter,
  requests: Awaited<ReturnType<PointContext['harness']['takeWebhooks']>>,
) {
  const events: SupportEvent[] = [];
  for (const request of requests)
    events.push(...checkedEvents((await adapter.handleWebhook(request)).events, 'handleWebhook'));
  return events;
}

/** Posts the bot's own messages, then an agent reply with the same text as one of them. */
async function postThenReply(context: PointContext, fileUrl: (name: string, size: number) => string) {
  const { conversationId } = await transferredConversation(context);
  await context.harness.takeWebhooks();
  const posts = ownPosts(context, fileUrl);
  await context.adapter.postMessages({ conversationId, messages: posts });
  const echoes = await context.harness.takeWebhooks();
  // An agent may write exactly what the bot wrote: it is still the agent's message.
  const sameText = posts.find((item) => item.author === 'bot')?.text ?? 'Thanks!';
  const reply = await context.harness.agentReply(conversationId, { text: sameText });
  return { conversationId, posts, echoes, reply, sameText };
}

export const echoPoints: ContractPoint[] = [
  contractPoint({
    id: 'echoes/webhooks',
    suite,
    title:
      "the bot's own user, bot and note posts (with and without files) never come back as events, even to a restarted instance; an agent's reply with the same text does",
    async run(context) {
      await withServedFiles(async (fileUrl) => {
        const { echoes, reply, sameText, conversationId } = await postThenReply(context, fileUrl);
        for (const [who, adapter] of [
          ['the instance that posted', context.adapter],
          ['a restarted instance', await context.freshAdapter()],
        ] as const) {
          const echoed = agentEvents(await feed(adapter, echoes));
          checkEqual(
            echoed.map(eventText),
            [],
            `events ${who} made of ${echoes.length} webhooks of the bot's own posts`,
          );
        }
        const replies = (await feed(context.adapter, reply)).filter(
          (event) => event.type === 'agent.message',
        );
        checkEqual(
          replies.map((event) => [event.conversationId, eventText(event)]),
          [[conversationId, sameText]],
          "an agent's reply with the text of a bot post",
        );
      });
    },
  }),
  contractPoint({
    id: 'echoes/catch-up',
    suite,
    title: "catching up reads the agent's messages only: none of the bot's own posts, with or without files",
    skipUnless: ({ capabilities }) =>
      capabilities.catchUp ? undefined : 'the adapter declares catchUp: false',
    async run(context) {
      await withServedFiles(async (fileUrl) => {
        const { conversationId, sameText } = await postThenReply(context, fileUrl);
        const note = context.capabilities.privateNotes
          ? `Agent note (${context.uniqueId('note')})`
          : undefined;
        if (note !== undefined) await context.harness.agentNote(conversationId, note);
        for (const [who, adapter] of [
          ['the instance that posted', context.adapter],
          ['a restarted instance', await context.freshAdapter()],
        ] as const) {
          check(
            adapter.syncConversation !== undefined,
            'the adapter declares catchUp but has no syncConversation',
          );
          const { events } = await adapter.syncConversation({ conversationId });
          checkedEvents(events, 'syncConversation');
          checkEqual(
            events.filter((event) => event.type === 'agent.message').map(eventText),
            [sameText],
            `agent messages ${who} read back`,
          );
          const notes = events.filter((event) => event.type === 'agent.note').map(eventText);
          check(
            notes.every((text) => text === note),
            `${who} read back the bot's own notes as agent notes: ${JSON.stringify(notes)}`,
          );
        }
      });
    },
  }),
  contractPoint({
    id: 'echoes/catch-up-files',
    suite,
    title: "catching up keeps an agent's files: URL and type, as the webhook gives them",
    skipUnless: ({ capabilities }) =>
      !capabilities.catchUp
        ? 'the adapter declares catchUp: false'
        : capabilities.attachments === false
          ? 'the adapter declares attachments: false'
          : undefined,
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      await context.harness.takeWebhooks();
      const label = {
        url: 'https://files.example.test/label.png',
        contentType: 'image/png',
        name: 'label.png',
        size: 2048,
      };
      await context.harness.agentReply(conversationId, { text: 'Your label', attachments: [label] });
      await context.harness.agentReply(conversationId, { text: 'And no file here' });
      const { events } = (await context.adapter.syncConversation?.({ conversationId })) ?? { events: [] };
      const replies = events.filter((event) => event.type === 'agent.message');
      checkEqual(
        replies.map((event) => [
          eventText(event),
          event.type === 'agent.message' ? (event.message.attachments?.length ?? 0) : 0,
        ]),
        [
          ['Your label', 1],
          ['And no file here', 0],
        ],
        'agent messages read back, with their file counts',
      );
      const attachment =
        replies[0]?.type === 'agent.message' ? replies[0].message.attachments?.[0] : undefined;
      check(attachment !== undefined && /^https?:\/\//.test(attachment.url), 'the file read back has no URL');
      checkEqual(attachment.contentType, 'image/png', 'the type of the file read back');
    },
  }),
];
