import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { afterAgentAction, openConversation, withServedFiles } from '../point-helpers.js';

const suite = 'attachments';
const skipUnless: ContractPoint['skipUnless'] = ({ capabilities }) =>
  capabilities.attachments === false ? 'the adapter declares attachments: false' : undefined;

export const attachmentPoints: ContractPoint[] = [
  contractPoint({
    id: 'attachments/user-to-agents',
    suite,
    title: "a user's file reaches the support conversation",
    skipUnless,
    async run(context) {
      const { conversationId, opening } = await openConversation(context);
      await withServedFiles(async (fileUrl) => {
        const url = fileUrl('receipt.txt', 22);
        await context.adapter.postMessages({
          conversationId,
          messages: [
            {
              id: context.uniqueId('message'),
              author: 'user',
              text: 'Here is my receipt',
              attachments: [{ url, contentType: 'text/plain', name: 'receipt.txt', size: 22 }],
              createdAt: new Date().toISOString(),
            },
          ],
        });
      });
      const [stored] = (await context.harness.getConversation(conversationId))?.messages.slice(opening) ?? [];
      check(stored !== undefined, 'the message is not in the conversation');
      checkEqual(stored.attachments?.length, 1, 'attachments of the stored message');
      const name = stored.attachments?.[0]?.name;
      if (name !== undefined) checkEqual(name, 'receipt.txt', 'the file name');
    },
  }),
  contractPoint({
    id: 'attachments/agent-to-user',
    suite,
    title: "an agent's file reaches the user with its URL and type",
    skipUnless,
    async run(context) {
      const label = {
        url: 'https://files.example.test/label.png',
        contentType: 'image/png',
        name: 'label.png',
        size: 2048,
      };
      const { events } = await afterAgentAction(context, (id) =>
        context.harness.agentReply(id, { text: 'Here is your return label', attachments: [label] }),
      );
      const reply = events.find((event) => event.type === 'agent.message');
      check(reply?.type === 'agent.message', 'the reply did not become agent.message');
      const [attachment] = reply.message.attachments ?? [];
      check(attachment !== undefined, 'agent.message has no attachment');
      check(/^https?:\/\//.test(attachment.url), `the attachment URL is not a URL: ${attachment.url}`);
      checkEqual(attachment.contentType, 'image/png', 'the attachment type');
    },
  }),
];
