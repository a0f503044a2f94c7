import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import { openConversation, transferredConversation, withServedFiles } from '../point-helpers.js';

const suite = 'options';

/** Every combination of optional fields, named for reports ("with note, without labels"). */
function combinations<Name extends string>(names: readonly Name[]): Array<Record<Name, boolean>> {
  return Array.from({ length: 2 ** names.length }, (_, mask) =>
    Object.fromEntries(names.map((name, index) => [name, (mask & (2 ** index)) !== 0])),
  ) as Array<Record<Name, boolean>>;
}

function describeCombination(combination: Record<string, boolean>): string {
  return Object.entries(combination)
    .map(([name, present]) => `${present ? 'with' : 'without'} ${name}`)
    .join(', ');
}

async function secondTeam(context: PointContext) {
  const teams = await context.harness.teams();
  const team = teams[1] ?? teams[0];
  check(team !== undefined, 'the harness backend has no team');
  return team;
}

export const optionPoints: ContractPoint[] = [
  contractPoint({
    id: 'options/transfer',
    suite,
    title: 'transfer honours note and labels in every combination',
    async run(context) {
      const team = await secondTeam(context);
      const names = context.capabilities.labels ? (['note', 'labels'] as const) : (['note'] as const);
      const problems: string[] = [];
      for (const combination of combinations<'note' | 'labels'>(names)) {
        const what = `transfer ${describeCombination(combination)}`;
        const { conversationId } = await openConversation(context);
        const before = (await context.harness.getConversation(conversationId))?.messages.length ?? 0;
        const note = `Routing: ${what} (${context.uniqueId('note')})`;
        const labels = ['kit-handoff', `kit-${context.uniqueId('label').slice(-6).toLowerCase()}`];
        const result = await context.adapter.transfer({
          conversationId,
          team: team.id,
          ...(combination.note ? { note } : {}),
          ...(combination.labels ? { labels } : {}),
        });
        const conversation = await context.harness.getConversation(conversationId);
        if (result.team.id !== team.id) problems.push(`${what}: the adapter reports team ${result.team.id}`);
        if (conversation?.team?.id !== team.id)
          problems.push(`${what}: the conversation is with team ${conversation?.team?.id}, not ${team.id}`);
        const messages = conversation?.messages.slice(before) ?? [];
        const notes = messages.filter((item) => item.text.includes(note));
        if (combination.note && notes.length !== 1)
          problems.push(`${what}: ${notes.length} copies of the note in the conversation`);
        if (combination.note && context.capabilities.privateNotes && notes[0]?.private === false)
          problems.push(`${what}: the note is visible to the user`);
        if (!combination.note && messages.length > 0)
          problems.push(
            `${what}: the transfer added ${messages.length} message(s): ${messages.map((item) => item.text).join(' | ')}`,
          );
        if (context.capabilities.labels) {
          const stored = conversation?.labels ?? [];
          if (combination.labels && !labels.every((label) => stored.includes(label)))
            problems.push(`${what}: the conversation's labels are ${JSON.stringify(stored)}`);
          if (!combination.labels && stored.some((label) => labels.includes(label)))
            problems.push(`${what}: labels appeared that were not asked for`);
        }
      }
      check(problems.length === 0, problems.join('\n'));
    },
  }),
  contractPoint({
    id: 'options/open',
    suite,
    title: 'openConversation honours attributes and a first message in every combination',
    async run(context) {
      const problems: string[] = [];
      for (const combination of combinations(['attributes', 'first message'] as const)) {
        const what = `open ${describeCombination(combination)}`;
        const { supportUserId } = await context.adapter.ensureUser({
          user: { id: context.uniqueId('user'), name: 'Options' },
        });
        const attributes = { kit_plan: 'gold', kit_orders: 3, kit_vip: true };
        const first = {
          id: context.uniqueId('message'),
          author: 'user' as const,
          text: `My parcel is late (${context.uniqueId('first')})`,
          createdAt: new Date().toISOString(),
        };
        const opened = await context.adapter.openConversation({
          supportUserId,
          sessionId: context.uniqueId('session'),
          handoffId: context.uniqueId('handoff'),
          ...(combination.attributes ? { attributes } : {}),
          ...(combination['first message'] ? { firstMessage: first } : {}),
        });
        const conversation = await context.harness.getConversation(opened.conversationId);
        if (conversation?.supportUserId !== supportUserId)
          problems.push(`${what}: the conversation belongs to ${conversation?.supportUserId}`);
        const copies = conversation?.messages.filter((item) => item.text === first.text).length ?? 0;
        const expected = combination['first message'] && opened.postedFirstMessage === true ? 1 : 0;
        if (copies !== expected)
          problems.push(
            `${what}: ${copies} copies of the first message (postedFirstMessage: ${opened.postedFirstMessage})`,
          );
        if (!combination['first message'] && opened.postedFirstMessage === true)
          problems.push(`${what}: postedFirstMessage without a first message`);
        const stored = conversation?.attributes;
        if (combination.attributes && stored !== undefined) {
          for (const [key, value] of Object.entries(attributes)) {
            if (stored[key] !== value && String(stored[key]) !== String(value))
              problems.push(
                `${what}: attribute ${key} is ${JSON.stringify(stored[key])}, not ${JSON.stringify(value)}`,
              );
          }
        }
      }
      check(problems.length === 0, problems.join('\n'));
    },
  }),
  contractPoint({
    id: 'options/close',
    suite,
    title: 'closeSession resolves with and without a note, and adds a message only for a note',
    async run(context) {
      const problems: string[] = [];
      for (const withNote of [false, true]) {
        const what = `close ${withNote ? 'with' : 'without'} note`;
        const { conversationId } = await transferredConversation(context);
        const before = (await context.harness.getConversation(conversationId))?.messages.length ?? 0;
        const note = `Back to the bot (${context.uniqueId('note')})`;
        await context.adapter.closeSession({ conversationId, ...(withNote ? { note } : {}) });
        const conversation = await context.harness.getConversation(conversationId);
        if (conversation?.status !== 'resolved')
          problems.push(`${what}: the status is ${conversation?.status}`);
        const added = conversation?.messages.slice(before) ?? [];
        const notes = added.filter((item) => item.text.includes(note));
        if (withNote && notes.length !== 1) problems.push(`${what}: ${notes.length} copies of the note`);
        if (withNote && context.capabilities.privateNotes && notes[0]?.private === false)
          problems.push(`${what}: the note is visible to the user`);
        // Without a note nothing may reach the user; a record only agents see is the system's own
        // (Rocket.Chat closes a room only with a comment, by default).
        const shown = added.filter((item) => !item.private);
        if (!withNote && shown.length > 0)
          problems.push(
            `${what}: closing added ${shown.length} message(s): ${shown.map((item) => item.text).join(' | ')}`,
          );
      }
      check(problems.length === 0, problems.join('\n'));
    },
  }),
  contractPoint({
    id: 'options/post-attachments',
    suite,
    title: 'postMessages keeps text and files in every combination: text only, file only, both',
    skipUnless: ({ capabilities }) =>
      capabilities.attachments === false ? 'the adapter declares attachments: false' : undefined,
    async run(context) {
      const { conversationId, opening } = await openConversation(context);
      await withServedFiles(async (fileUrl) => {
        const file = (name: string) => ({
          url: fileUrl(name, 64),
          contentType: 'text/plain',
          name,
          size: 64,
        });
        const now = new Date().toISOString();
        const batch = [
          {
            id: context.uniqueId('m'),
            author: 'user' as const,
            text: `Text only (${context.uniqueId('t')})`,
            createdAt: now,
          },
          {
            id: context.uniqueId('m'),
            author: 'user' as const,
            text: '',
            attachments: [file('only.txt')],
            createdAt: now,
          },
          {
            id: context.uniqueId('m'),
            author: 'user' as const,
            text: `Text and two files (${context.uniqueId('t')})`,
            attachments: [file('first.txt'), file('second.txt')],
            createdAt: now,
          },
        ];
        await context.adapter.postMessages({ conversationId, messages: batch });
        const stored = (await context.harness.getConversation(conversationId))?.messages.slice(opening) ?? [];
        // A system that needs a body for a file alone (Intercom) may store a placeholder there.
        checkEqual(
          stored.map((item, index) => [
            batch[index]?.text === '' ? '' : item.text,
            item.attachments?.length ?? 0,
          ]),
          batch.map((item) => [item.text, item.attachments?.length ?? 0]),
          'texts and file counts stored',
        );
      });
    },
  }),
];
