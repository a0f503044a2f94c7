import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { transferredConversation } from '../point-helpers.js';

const suite = 'close session';

export const closeSessionPoints: ContractPoint[] = [
  contractPoint({
    id: 'close-session/resolves',
    suite,
    title: 'resolves the conversation',
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      await context.adapter.closeSession({ conversationId });
      checkEqual(
        (await context.harness.getConversation(conversationId))?.status,
        'resolved',
        'the status after closing',
      );
    },
  }),
  contractPoint({
    id: 'close-session/note',
    suite,
    title: 'leaves the closing note for agents',
    async run(context) {
      const { conversationId } = await transferredConversation(context);
      const note = `The user went back to the bot (${context.uniqueId('note')})`;
      await context.adapter.closeSession({ conversationId, note });
      const messages = (await context.harness.getConversation(conversationId))?.messages ?? [];
      const stored = messages.find((item) => item.text.includes(note));
      check(stored !== undefined, 'the closing note is not in the conversation');
      if (context.capabilities.privateNotes) checkEqual(stored.private, true, 'the closing note is private');
    },
  }),
];
