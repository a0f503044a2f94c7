import type { TranscriptMessage } from '@handoff/core';
import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { message, openConversation } from '../point-helpers.js';

const suite = 'post messages';

export const postMessagesPoints: ContractPoint[] = [
  contractPoint({
    id: 'post-messages/order-and-authors',
    suite,
    title: 'messages arrive in order with the right authors; notes are private',
    async run(context) {
      const { conversationId, opening } = await openConversation(context);
      const withNotes = context.capabilities.privateNotes;
      const transcript: TranscriptMessage[] = [
        message(context, 'user', 'Hello, my parcel has not arrived'),
        message(context, 'bot', 'Sorry to hear that. What is the order number?'),
        message(context, 'user', 'A-1043'),
        message(context, 'note', 'The bot could not find order A-1043'),
        message(context, 'bot', 'Let me get a person for you.'),
      ];
      await context.adapter.postMessages({ conversationId, messages: transcript });
      const conversation = await context.harness.getConversation(conversationId);
      check(conversation !== undefined, `the backend has no conversation ${conversationId}`);
      const privateBot = context.capabilities.botTurnsPrivate === true;
      const expected = transcript.map((item) => {
        if (item.author === 'bot' && privateBot) return { author: 'note', text: item.text, private: true };
        return {
          author: item.author === 'note' && !withNotes ? 'bot' : item.author,
          text: item.text,
          private: item.author === 'note' && withNotes,
        };
      });
      checkEqual(
        conversation.messages
          .slice(opening)
          .map(({ author, text, private: hidden }) => ({ author, text, private: hidden })),
        expected,
        'the stored messages',
      );
    },
  }),
  contractPoint({
    id: 'post-messages/idempotent',
    suite,
    title: 're-posting messages with the same ids creates no duplicate',
    async run(context) {
      const { conversationId, opening } = await openConversation(context);
      const [first, second, third] = [
        message(context, 'user', 'first'),
        message(context, 'bot', 'second'),
        message(context, 'user', 'third'),
      ] as const;
      await context.adapter.postMessages({ conversationId, messages: [first, second] });
      await context.adapter.postMessages({ conversationId, messages: [first, second] });
      await context.adapter.postMessages({ conversationId, messages: [second, third] });
      const texts =
        (await context.harness.getConversation(conversationId))?.messages
          .slice(opening)
          .map((item) => item.text) ?? [];
      for (const text of ['first', 'second', 'third']) {
        checkEqual(
          texts.filter((candidate) => candidate === text).length,
          1,
          `copies of "${text}" (stored: ${texts.join(', ')})`,
        );
      }
      checkEqual(texts.length, 3, 'messages stored');
    },
  }),
  contractPoint({
    id: 'post-messages/recover',
    suite,
    title: 'a retried post (recover, after a restart) adds only what is missing',
    async run(context) {
      const { conversationId, opening } = await openConversation(context);
      const [first, second, third] = [
        message(context, 'user', 'posted before the crash'),
        message(context, 'bot', 'also posted before the crash'),
        message(context, 'user', 'not posted yet'),
      ] as const;
      await context.adapter.postMessages({ conversationId, messages: [first, second] });
      const restarted = await context.freshAdapter();
      await restarted.postMessages({ conversationId, messages: [first, second, third], recover: true });
      const texts = (await context.harness.getConversation(conversationId))?.messages
        .slice(opening)
        .map((item) => item.text);
      checkEqual(texts, [first.text, second.text, third.text], 'the stored messages');
    },
  }),
  contractPoint({
    id: 'post-messages/batch',
    suite,
    title: 'a full batch arrives whole and in order',
    async run(context) {
      const { conversationId, opening } = await openConversation(context);
      const size = Math.min(context.capabilities.maxMessagesPerPost, 24);
      const batch = Array.from({ length: size }, (_, index) =>
        message(context, index % 2 === 0 ? 'user' : 'bot', `message ${index + 1} of ${size}`),
      );
      await context.adapter.postMessages({ conversationId, messages: batch });
      const texts = (await context.harness.getConversation(conversationId))?.messages
        .slice(opening)
        .map((item) => item.text);
      checkEqual(
        texts,
        batch.map((item) => item.text),
        'the stored messages',
      );
    },
  }),
];
