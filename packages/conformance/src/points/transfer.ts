import { check, checkEqual, expectSupportError } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { openConversation, unknownTeamId } from '../point-helpers.js';

const suite = 'transfer';

/** Opens a conversation and transfers it to the backend's second team (not the first, a likely default). */
async function transferToSecondTeam(context: Parameters<ContractPoint['run']>[0], note: string) {
  const { conversationId } = await openConversation(context);
  const teams = await context.harness.teams();
  const team = teams[1] ?? teams[0];
  check(team !== undefined, 'the harness backend has no team');
  const result = await context.adapter.transfer({ conversationId, team: team.id, note });
  return { conversationId, team, result };
}

export const transferPoints: ContractPoint[] = [
  contractPoint({
    id: 'transfer/team',
    suite,
    title: 'sets the team',
    async run(context) {
      const { conversationId, team, result } = await transferToSecondTeam(
        context,
        'Routing: the refund skill was unfinished',
      );
      checkEqual(result.team.id, team.id, 'the team the adapter reports');
      checkEqual(
        (await context.harness.getConversation(conversationId))?.team?.id,
        team.id,
        'the team of the conversation',
      );
    },
  }),
  contractPoint({
    id: 'transfer/note',
    suite,
    title: 'adds the context note for agents',
    async run(context) {
      const note = `Routing: unfinished skill acme.shop.Refund (${context.uniqueId('note')})`;
      const { conversationId } = await transferToSecondTeam(context, note);
      const messages = (await context.harness.getConversation(conversationId))?.messages ?? [];
      const stored = messages.find((item) => item.text.includes(note));
      check(
        stored !== undefined,
        `the note is not in the conversation (it has: ${messages.map((item) => item.text).join(' | ')})`,
      );
      if (context.capabilities.privateNotes) checkEqual(stored.private, true, 'the note is private');
    },
  }),
  contractPoint({
    id: 'transfer/notifies',
    suite,
    title: 'offers the conversation to agents and notifies them',
    async run(context) {
      const { conversationId } = await transferToSecondTeam(context, 'Routing: default team');
      const conversation = await context.harness.getConversation(conversationId);
      checkEqual(conversation?.status, 'open', 'the status after the transfer');
      checkEqual(conversation?.agentsNotified, true, 'agents notified');
    },
  }),
  contractPoint({
    id: 'transfer/labels',
    suite,
    title: 'labels the conversation, keeping labels it already has',
    skipUnless: ({ capabilities }) =>
      capabilities.labels ? undefined : 'the adapter declares labels: false',
    async run(context) {
      const { conversationId } = await openConversation(context);
      const teams = await context.harness.teams();
      const team = teams[1] ?? teams[0];
      check(team !== undefined, 'the harness backend has no team');
      await context.adapter.transfer({
        conversationId,
        team: team.id,
        note: 'first',
        labels: ['bot-handoff'],
      });
      await context.adapter.transfer({
        conversationId,
        team: team.id,
        note: 'second',
        labels: ['vip'],
      });
      const labels = (await context.harness.getConversation(conversationId))?.labels;
      check(labels !== undefined, 'the harness shows no labels for a system that has them');
      checkEqual([...labels].sort(), ['bot-handoff', 'vip'], 'the labels of the conversation');
    },
  }),
  contractPoint({
    id: 'transfer/recover',
    suite,
    title: 'a retried transfer (recover, after a restart) adds no second note',
    async run(context) {
      const note = `Routing: retried transfer (${context.uniqueId('note')})`;
      const { conversationId, team } = await transferToSecondTeam(context, note);
      const restarted = await context.freshAdapter();
      await restarted.transfer({ conversationId, team: team.id, note, recover: true });
      const messages = (await context.harness.getConversation(conversationId))?.messages ?? [];
      checkEqual(messages.filter((item) => item.text.includes(note)).length, 1, 'copies of the note');
      checkEqual((await context.harness.getConversation(conversationId))?.team?.id, team.id, 'the team');
    },
  }),
  contractPoint({
    id: 'transfer/unknown-team',
    suite,
    title: 'a team the system does not have is an error, never a silent success',
    async run(context) {
      const { conversationId } = await openConversation(context);
      const unknown = await unknownTeamId(context);
      await expectSupportError(
        context.adapter.transfer({ conversationId, team: unknown, note: 'to nowhere' }),
        ['not_found', 'invalid_request'],
        `transfer to team ${unknown}`,
      );
      const team = (await context.harness.getConversation(conversationId))?.team;
      check(team === undefined || team.id !== unknown, 'the conversation shows the unknown team');
    },
  }),
];
