import {
  isSupportError,
  maxAttachmentsPerMessage,
  maxMessageTextLength,
  type TranscriptMessage,
} from '@handoff/core';
import { check, describeThrown, outcomeOf } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import { message, openConversation, withServedFiles } from '../point-helpers.js';
import { textOfLength } from '../text-of-length.js';

const suite = 'limits';

type Attempt = { kind: 'kept' } | { kind: 'refused' } | { kind: 'broken'; problem: string };

/**
 * Posts `messages` and judges the outcome: kept whole (every message with its text and files), or
 * refused as invalid_request before any of them was stored. Anything else keeps less than it took.
 */
async function postAndJudge(
  context: PointContext,
  conversationId: string,
  messages: TranscriptMessage[],
): Promise<Attempt> {
  const before = (await context.harness.getConversation(conversationId))?.messages.length ?? 0;
  // Large files take longer than the kit's short call timeout: a patient instance posts them.
  const adapter = await context.freshAdapter({ requestTimeoutMs: 30_000 });
  const outcome = await outcomeOf(adapter.postMessages({ conversationId, messages }), 45_000);
  const stored = (await context.harness.getConversation(conversationId))?.messages.slice(before) ?? [];
  if (outcome.kind === 'hung') return { kind: 'broken', problem: 'the post did not finish' };
  if (outcome.kind === 'rejected') {
    if (!isSupportError(outcome.error) || outcome.error.code !== 'invalid_request' || outcome.error.retryable)
      return {
        kind: 'broken',
        problem: `refused with ${describeThrown(outcome.error)}, not a lasting invalid_request`,
      };
    if (stored.length > 0)
      return { kind: 'broken', problem: `refused, but ${stored.length} message(s) were stored first` };
    return { kind: 'refused' };
  }
  const kept = messages.every((item, index) => {
    const found = stored[index];
    return (
      found !== undefined &&
      found.text === item.text &&
      (found.attachments?.length ?? 0) === (item.attachments?.length ?? 0)
    );
  });
  if (!kept || stored.length !== messages.length) {
    const shown = stored.map(
      (item) =>
        `${item.text.slice(0, 40)}… (${item.text.length} units, ${item.attachments?.length ?? 0} files)`,
    );
    return {
      kind: 'broken',
      problem: `accepted ${messages.length} message(s), but did not keep them whole and in order (stored: ${stored.length}): ${shown.slice(0, 3).join(' | ')}`,
    };
  }
  return { kind: 'kept' };
}

/** Checks a limit at its bound (must be kept) and one past it (kept whole or refused). */
async function atAndPast(
  what: string,
  atLimit: () => Promise<Attempt>,
  pastLimit: (() => Promise<Attempt>) | undefined,
) {
  const problems: string[] = [];
  const at = await atLimit();
  if (at.kind !== 'kept')
    problems.push(`${what} at the limit: ${at.kind === 'broken' ? at.problem : 'refused'}`);
  if (pastLimit !== undefined) {
    const past = await pastLimit();
    if (past.kind === 'broken') problems.push(`${what} one past the limit: ${past.problem}`);
  }
  check(problems.length === 0, problems.join('\n'));
}

const withoutAttachments: ContractPoint['skipUnless'] = ({ capabilities }) =>
  capabilities.attachments === false ? 'the adapter declares attachments: false' : undefined;

/** Runs `use` with the declared file limits and files served on 127.0.0.1. */
async function withFileLimits(
  context: PointContext,
  use: (
    limits: { maxBytes: number; maxPerMessage: number },
    fileUrl: (name: string, size: number) => string,
  ) => Promise<void>,
) {
  const limits = context.capabilities.attachments;
  check(limits !== false, 'the adapter declares attachments: false');
  await withServedFiles((fileUrl) => use(limits, fileUrl));
}

export const limitPoints: ContractPoint[] = [
  contractPoint({
    id: 'limits/messages-per-post',
    suite,
    title: 'a batch of maxMessagesPerPost is kept whole; one more is kept whole or refused, never cut',
    timeoutMs: 60_000,
    async run(context) {
      const max = context.capabilities.maxMessagesPerPost;
      const batch = (size: number, label: string) =>
        Array.from({ length: size }, (_, index) =>
          message(
            context,
            index % 2 === 0 ? 'user' : 'bot',
            `${label} ${index + 1} of ${size} (${context.uniqueId('t')})`,
          ),
        );
      await atAndPast(
        `a batch (maxMessagesPerPost ${max})`,
        async () => postAndJudge(context, (await openConversation(context)).conversationId, batch(max, 'at')),
        async () =>
          postAndJudge(context, (await openConversation(context)).conversationId, batch(max + 1, 'past')),
      );
    },
  }),
  contractPoint({
    id: 'limits/text-length',
    suite,
    title: 'a text of the declared length (in its unit) is kept whole; a longer one is kept whole or refused',
    async run(context) {
      const { max, unit } = context.capabilities.textLength;
      const text = (length: number) => textOfLength(`${context.uniqueId('text')} `, length, unit);
      const at = text(max);
      check(
        at !== undefined,
        `no text of ${max} ${unit} fits the contract's own limit (${maxMessageTextLength} UTF-16 units)`,
      );
      const past = text(max + 1);
      await atAndPast(
        `a text of ${max} ${unit}`,
        async () =>
          postAndJudge(context, (await openConversation(context)).conversationId, [
            message(context, 'user', at),
          ]),
        past === undefined
          ? undefined
          : async () =>
              postAndJudge(context, (await openConversation(context)).conversationId, [
                message(context, 'user', past),
              ]),
      );
    },
  }),
  contractPoint({
    id: 'limits/attachments-per-message',
    suite,
    title: 'a message with maxPerMessage files keeps them all; one more is kept whole or refused',
    skipUnless: withoutAttachments,
    timeoutMs: 60_000,
    run: (context) =>
      withFileLimits(context, async (limits, fileUrl) => {
        const max = Math.min(limits.maxPerMessage, maxAttachmentsPerMessage);
        const withFiles = (count: number): TranscriptMessage => ({
          ...message(context, 'user', `${count} files (${context.uniqueId('t')})`),
          attachments: Array.from({ length: count }, (_, index) => ({
            url: fileUrl(`file-${index + 1}.txt`, 16),
            contentType: 'text/plain',
            name: `file-${index + 1}.txt`,
            size: 16,
          })),
        });
        await atAndPast(
          `a message with files (maxPerMessage ${limits.maxPerMessage})`,
          async () =>
            postAndJudge(context, (await openConversation(context)).conversationId, [withFiles(max)]),
          max + 1 > maxAttachmentsPerMessage
            ? undefined
            : async () =>
                postAndJudge(context, (await openConversation(context)).conversationId, [withFiles(max + 1)]),
        );
      }),
  }),
  contractPoint({
    id: 'limits/attachment-size',
    suite,
    title: 'a file of maxBytes is kept; one byte more is kept or refused, never dropped from its message',
    skipUnless: withoutAttachments,
    timeoutMs: 60_000,
    run: (context) =>
      withFileLimits(context, async (limits, fileUrl) => {
        const withFile = (size: number): TranscriptMessage => ({
          ...message(context, 'user', `A file of ${size} bytes (${context.uniqueId('t')})`),
          attachments: [
            { url: fileUrl('scan.pdf', size), contentType: 'application/pdf', name: 'scan.pdf', size },
          ],
        });
        await atAndPast(
          `a file (maxBytes ${limits.maxBytes})`,
          async () =>
            postAndJudge(context, (await openConversation(context)).conversationId, [
              withFile(limits.maxBytes),
            ]),
          async () =>
            postAndJudge(context, (await openConversation(context)).conversationId, [
              withFile(limits.maxBytes + 1),
            ]),
        );
      }),
  }),
];
