import { isSupportError, type SupportAdapter, type TranscriptMessage } from '@handoff/core';
import { check, checkEqual, describeThrown, expectVerificationError, outcomeOf } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import { genuineWebhook, message, openConversation, transferredConversation } from '../point-helpers.js';
import { sharedSecretReason, withoutCredential } from '../webhook-credential.js';

const suite = 'recover';

/** The most calls into an operation the lost-answer sweep loses an answer after. */
const maxCallsSwept = 6;

const lostAnswers: ContractPoint['skipUnless'] = ({ harness }) =>
  harness.features?.lostAnswers ? undefined : 'the harness cannot lose an answer (features.lostAnswers)';

/**
 * Loses the answer of the first, second, ... call of an operation (the system did the work, the
 * adapter never heard), then retries with `recover` on a new instance and checks the outcome.
 * Stops when the operation makes fewer calls than the answer it was to lose.
 */
async function sweepLostAnswers(
  context: PointContext,
  operation: string,
  attempt: (
    adapter: SupportAdapter,
    round: number,
  ) => {
    /** What the round needs first, done before the fault is set. */
    setup?: () => Promise<void>;
    first: () => Promise<unknown>;
    retry: (adapter: SupportAdapter) => Promise<unknown>;
    judge: (retried: unknown) => Promise<void>;
  },
) {
  for (let after = 0; after < maxCallsSwept; after += 1) {
    const adapter = await context.freshAdapter();
    const round = attempt(adapter, after);
    await round.setup?.();
    context.harness.injectFault({ kind: 'lost_answer' }, { after });
    const outcome = await outcomeOf(round.first(), context.requestTimeoutMs + 3_000);
    const unmet = context.harness.clearFaults?.();
    if (outcome.kind === 'resolved') {
      // The operation makes fewer calls than the answer that was to be lost, or it dealt with the
      // loss itself: either way its work must be there exactly once.
      await round.judge(outcome.value);
      if (unmet === undefined || unmet > 0) return;
      continue;
    }
    check(
      outcome.kind === 'rejected' && isSupportError(outcome.error) && outcome.error.retryable,
      `${operation} whose answer ${after + 1} was lost: expected a retryable SupportError, got ${outcome.kind === 'rejected' ? describeThrown(outcome.error) : 'no answer'}`,
    );
    const retried = await round.retry(await context.freshAdapter());
    await round.judge(retried);
    if (context.harness.clearFaults === undefined) return;
  }
}

const texts = async (context: PointContext, conversationId: string) =>
  (await context.harness.getConversation(conversationId))?.messages.map((item) => item.text) ?? [];

const copies = (all: readonly string[], text: string) => all.filter((item) => item.includes(text)).length;

export const recoverPoints: ContractPoint[] = [
  contractPoint({
    id: 'recover/ensureUser',
    suite,
    title: 'ensureUser retried with recover after a lost answer gives the one user',
    skipUnless: lostAnswers,
    async run(context) {
      await sweepLostAnswers(context, 'ensureUser', (adapter, round) => {
        const id = context.uniqueId('user');
        return {
          first: () => adapter.ensureUser({ user: { id, name: 'Lost Answer' } }),
          retry: (again) => again.ensureUser({ user: { id, name: 'Lost Answer' }, recover: true }),
          async judge(retried) {
            const users = await context.harness.findUsers({ externalId: id });
            checkEqual(users.length, 1, `users stored under ${id} (answer ${round + 1} lost, then recover)`);
            checkEqual(
              (retried as { supportUserId: string }).supportUserId,
              users[0]?.supportUserId,
              `the user recover found (answer ${round + 1} lost)`,
            );
          },
        };
      });
    },
  }),
  contractPoint({
    id: 'recover/openConversation',
    suite,
    title: 'openConversation retried with recover after a lost answer finds the one conversation',
    skipUnless: (subject) =>
      lostAnswers(subject) ??
      (subject.harness.conversationsOf === undefined
        ? 'the harness cannot list a user’s conversations (conversationsOf)'
        : undefined),
    async run(context) {
      const { supportUserId } = await context.adapter.ensureUser({
        user: { id: context.uniqueId('user'), name: 'Lost Answer' },
      });
      const conversations = async () => (await context.harness.conversationsOf?.(supportUserId)) ?? [];
      await sweepLostAnswers(context, 'openConversation', (adapter, round) => {
        const handoffId = context.uniqueId('handoff');
        const sessionId = context.uniqueId('session');
        let before: string[] = [];
        return {
          async setup() {
            before = await conversations();
          },
          first: () => adapter.openConversation({ supportUserId, sessionId, handoffId }),
          retry: (again) => again.openConversation({ supportUserId, sessionId, handoffId, recover: true }),
          async judge(retried) {
            const added = (await conversations()).filter((id) => !before.includes(id));
            checkEqual(added.length, 1, `conversations opened (answer ${round + 1} lost, then recover)`);
            checkEqual(
              (retried as { conversationId: string }).conversationId,
              added[0],
              `the conversation recover returned (answer ${round + 1} lost)`,
            );
          },
        };
      });
    },
  }),
  contractPoint({
    id: 'recover/postMessages',
    suite,
    title: 'postMessages retried with recover after a lost answer posts each message once, in order',
    skipUnless: lostAnswers,
    async run(context) {
      const { conversationId } = await openConversation(context);
      await sweepLostAnswers(context, 'postMessages', (adapter, round) => {
        const batch: TranscriptMessage[] = [
          message(context, 'user', `lost ${round} a (${context.uniqueId('text')})`),
          message(context, 'bot', `lost ${round} b (${context.uniqueId('text')})`),
          message(context, 'user', `lost ${round} c (${context.uniqueId('text')})`),
        ];
        return {
          first: () => adapter.postMessages({ conversationId, messages: batch }),
          retry: (again) => again.postMessages({ conversationId, messages: batch, recover: true }),
          async judge() {
            const stored = await texts(context, conversationId);
            const found = stored.filter((text) => batch.some((item) => item.text === text));
            checkEqual(
              found,
              batch.map((item) => item.text),
              `the batch in the conversation (answer ${round + 1} lost, then recover)`,
            );
          },
        };
      });
    },
  }),
  contractPoint({
    id: 'recover/transfer',
    suite,
    title: 'transfer retried with recover after a lost answer sets the team and leaves one note',
    skipUnless: lostAnswers,
    async run(context) {
      const teams = await context.harness.teams();
      const team = teams[1] ?? teams[0];
      check(team !== undefined, 'the harness backend has no team');
      await sweepLostAnswers(context, 'transfer', (adapter, round) => {
        const note = `Routing after a lost answer (${context.uniqueId('note')})`;
        let conversationId = '';
        return {
          async setup() {
            ({ conversationId } = await openConversation(context));
          },
          first: () => adapter.transfer({ conversationId, team: team.id, note }),
          retry: (again) => again.transfer({ conversationId, team: team.id, note, recover: true }),
          async judge() {
            const conversation = await context.harness.getConversation(conversationId);
            checkEqual(conversation?.team?.id, team.id, `the team (answer ${round + 1} lost, then recover)`);
            checkEqual(
              copies(await texts(context, conversationId), note),
              1,
              `copies of the note (answer ${round + 1} lost, then recover)`,
            );
          },
        };
      });
    },
  }),
  contractPoint({
    id: 'recover/closeSession',
    suite,
    title: 'closeSession retried with recover after a lost answer succeeds, resolved, with one note',
    skipUnless: lostAnswers,
    async run(context) {
      await sweepLostAnswers(context, 'closeSession', (adapter, round) => {
        const note = `The user went back to the bot (${context.uniqueId('note')})`;
        let conversationId = '';
        return {
          async setup() {
            ({ conversationId } = await transferredConversation(context));
          },
          first: () => adapter.closeSession({ conversationId, note }),
          retry: (again) => again.closeSession({ conversationId, note, recover: true }),
          async judge() {
            const conversation = await context.harness.getConversation(conversationId);
            checkEqual(
              conversation?.status,
              'resolved',
              `the status (answer ${round + 1} lost, then recover)`,
            );
            checkEqual(
              copies(await texts(context, conversationId), note),
              1,
              `copies of the closing note (answer ${round + 1} lost, then recover)`,
            );
          },
        };
      });
    },
  }),
  contractPoint({
    id: 'recover/closed-already',
    suite,
    title: 'closeSession again (recover) on a conversation it closed succeeds and adds nothing',
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      const note = `The user went back to the bot (${context.uniqueId('note')})`;
      await context.adapter.closeSession({ conversationId, note });
      const again = await outcomeOf(
        (await context.freshAdapter()).closeSession({ conversationId, note, recover: true }),
        context.requestTimeoutMs + 3_000,
      );
      check(
        again.kind === 'resolved',
        `closing again with recover must succeed, got ${again.kind === 'rejected' ? describeThrown(again.error) : 'no answer'}`,
      );
      checkEqual(copies(await texts(context, conversationId), note), 1, 'copies of the closing note');
      checkEqual((await context.harness.getConversation(conversationId))?.status, 'resolved', 'the status');
    },
  }),
  contractPoint({
    id: 'recover/reads',
    suite,
    title: 'listTeams, syncConversation and teamAvailability retried with recover answer as before',
    skipUnless: lostAnswers,
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      await context.harness.agentReply(conversationId, { text: 'Read back after a lost answer' });
      const team = (await context.harness.teams())[0];
      check(team !== undefined, 'the harness backend has no team');
      const reads: Array<[string, (adapter: SupportAdapter, recover: boolean) => Promise<unknown>]> = [
        [
          'listTeams',
          async (adapter, recover) => (await adapter.listTeams({ recover })).map((item) => item.id).sort(),
        ],
      ];
      if (context.capabilities.catchUp)
        reads.push([
          'syncConversation',
          async (adapter, recover) =>
            (await adapter.syncConversation?.({ conversationId, recover }))?.events.map((event) => event.id),
        ]);
      if (context.capabilities.availability)
        reads.push([
          'teamAvailability',
          async (adapter, recover) =>
            (await adapter.teamAvailability?.({ team: team.id, recover }))?.available,
        ]);
      for (const [operation, read] of reads) {
        const plain = await read(await context.freshAdapter(), false);
        const adapter = await context.freshAdapter();
        context.harness.injectFault({ kind: 'lost_answer' });
        const lost = await outcomeOf(read(adapter, false), context.requestTimeoutMs + 3_000);
        context.harness.clearFaults?.();
        check(
          lost.kind === 'rejected' && isSupportError(lost.error) && lost.error.retryable,
          `${operation} whose answer was lost: expected a retryable SupportError, got ${lost.kind === 'rejected' ? describeThrown(lost.error) : lost.kind}`,
        );
        checkEqual(await read(await context.freshAdapter(), true), plain, `${operation} with recover`);
      }
    },
  }),
  contractPoint({
    id: 'recover/webhook-checks',
    suite,
    title:
      'handleWebhook with recover still refuses a tampered body (or a missing shared secret) and a replay',
    skipUnless: ({ harness }) =>
      harness.features?.signedWebhooks === false ? 'the system signs no webhooks' : undefined,
    async run(context) {
      const { request, text } = await genuineWebhook(
        context,
        `Recover never relaxes a check (${context.uniqueId('t')})`,
      );
      if (sharedSecretReason(context.harness.features) === undefined) {
        const body = request.body.includes(text)
          ? request.body.replace(text, `${text}!`)
          : `${request.body} `;
        await expectVerificationError(
          context.adapter.handleWebhook({ headers: request.headers, body, recover: true }),
          'a tampered body, with recover',
        );
      } else {
        // Nothing signs the body: the shared secret is the check recover must keep.
        const bare = withoutCredential(request, context.harness.features);
        await expectVerificationError(
          context.adapter.handleWebhook({ ...bare, recover: true }),
          'a delivery without its shared secret, with recover',
        );
      }
      await context.adapter.handleWebhook({ ...request });
      if (context.harness.features?.deliveryIds === false) return;
      await expectVerificationError(
        context.adapter.handleWebhook({ ...request, recover: true }),
        'a replayed delivery, with recover',
      );
    },
  }),
];
