import { check, checkEqual, expectSupportError, expectVerificationError } from '../check.js';
import { credentialHeaderOf, sharedSecretReason, withoutCredential } from '../webhook-credential.js';
import { botMessage, contactMessage, genuineBotWebhook, handoffTeam } from './bot-host-helpers.js';
import { type BotHostPoint, botHostPoint } from './bot-host-point.js';

const verification = 'internal mode: bot webhook verification';
const contacts = 'internal mode: contact messages';
const replies = 'internal mode: replies';
const handoff = 'internal mode: handoff';
const holder = 'internal mode: who holds the conversation';

const unsigned = ({ harness }: { harness: { features?: { signedWebhooks?: boolean } } }) =>
  harness.features?.signedWebhooks === false
    ? 'the system signs no bot webhooks (Chatwoot before 4.13.0): the adapter runs unsigned'
    : undefined;

export const botHostPoints: BotHostPoint[] = [
  botHostPoint({
    id: 'internal-mode/verification/tampered-body',
    suite: verification,
    skipUnless: ({ harness }) => unsigned({ harness }) ?? sharedSecretReason(harness.features),
    title: 'a tampered bot webhook body is refused',
    async run(context) {
      const { request, text } = await genuineBotWebhook(context);
      await expectVerificationError(
        context.adapter.handleBotWebhook({
          headers: request.headers,
          body: request.body.replace(text, `${text}!`),
        }),
        'a tampered bot webhook',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/verification/unsigned',
    suite: verification,
    skipUnless: unsigned,
    title: 'a bot webhook without its signature (or shared secret) is refused',
    async run(context) {
      const { request } = await genuineBotWebhook(context);
      const { headers } = withoutCredential(request, context.harness.features);
      await expectVerificationError(
        context.adapter.handleBotWebhook({ headers, body: request.body }),
        'an unsigned bot webhook',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/verification/tampered-credential',
    suite: verification,
    skipUnless: unsigned,
    title: 'a bot webhook with a changed signature (or shared secret) is refused',
    async run(context) {
      const { request } = await genuineBotWebhook(context);
      const name = credentialHeaderOf(request, context.harness.features);
      check(name !== undefined, 'the bot webhook has no signature (or shared secret) header to change');
      const value = request.headers[name] ?? '';
      const changed = `${value.slice(0, -1)}${value.at(-1) === '0' ? '1' : '0'}`;
      await expectVerificationError(
        context.adapter.handleBotWebhook({
          headers: { ...request.headers, [name]: changed },
          body: request.body,
        }),
        'a bot webhook with a changed signature (or shared secret)',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/verification/stale',
    suite: verification,
    skipUnless: ({ harness }) => unsigned({ harness }) ?? sharedSecretReason(harness.features),
    title: 'a bot webhook signed too long ago is refused',
    async run(context) {
      const { request } = await genuineBotWebhook(context);
      await expectVerificationError(
        context.adapter.handleBotWebhook({
          headers: request.headers,
          body: request.body,
          receivedAt: new Date(Date.now() + 60 * 60 * 1000),
        }),
        'a bot webhook received an hour after it was signed',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/verification/retried-delivery',
    suite: verification,
    title:
      'a delivery the system sends again (a retry after a failed answer) is accepted, with the same events',
    async run(context) {
      const { request } = await genuineBotWebhook(context);
      const first = await context.adapter.handleBotWebhook({ headers: request.headers, body: request.body });
      let again: Awaited<ReturnType<typeof context.adapter.handleBotWebhook>>;
      try {
        again = await context.adapter.handleBotWebhook({ headers: request.headers, body: request.body });
      } catch (error) {
        throw new Error(
          `the same delivery a second time was refused (${error instanceof Error ? error.message : String(error)}): a system that retries a delivery whose answer failed would give up on it`,
        );
      }
      checkEqual(
        again.events.map((event) => event.id).join(','),
        first.events.map((event) => event.id).join(','),
        'event ids of the retried delivery',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/contacts/message',
    suite: contacts,
    title: 'a contact message becomes contact.message, held by the bot, with the contact',
    async run(context) {
      const { event, conversationId, contactId, contact, text } = await contactMessage(context);
      checkEqual(event.conversationId, conversationId, 'the conversation of the event');
      checkEqual(event.holder, 'bot', 'who holds a new conversation');
      checkEqual(event.message.text, text, 'the text');
      checkEqual(event.contact.id, contactId, 'the contact id');
      if (event.contact.identifier !== undefined)
        checkEqual(event.contact.identifier, contact.identifier, 'the contact identifier');
    },
  }),
  botHostPoint({
    id: 'internal-mode/contacts/agents-ignored',
    suite: contacts,
    title: "agents' messages and notes are not contact messages",
    async run(context) {
      const { conversationId } = await contactMessage(context);
      await context.harness.agentTakes(conversationId);
      const requests = [
        ...(await context.harness.agentReply(conversationId, 'An agent here')),
        ...(await context.harness.agentNote(conversationId, 'A note for colleagues')),
      ];
      const events = await context.eventsOf(requests);
      checkEqual(
        events.filter((event) => event.type === 'contact.message').length,
        0,
        "contact.message events made of an agent's reply and note",
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/replies/as-bot',
    suite: replies,
    title: 'replies are posted in order, written by the bot, visible to the contact',
    async run(context) {
      const { conversationId, event } = await contactMessage(context);
      const id = event.message.id;
      const result = await context.adapter.replyAsBot({
        conversationId,
        messages: [botMessage(`${id}:reply:0`, 'First answer'), botMessage(`${id}:reply:1`, 'Second answer')],
      });
      checkEqual(result.delivered, true, 'delivered while the bot holds the conversation');
      const messages = (await context.harness.getConversation(conversationId))?.messages ?? [];
      const posted = messages.filter((message) => message.author === 'bot');
      checkEqual(
        posted.map((message) => [message.text, message.private]),
        [
          ['First answer', false],
          ['Second answer', false],
        ],
        "the bot's messages in the conversation",
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/replies/echo',
    suite: replies,
    title: "the bot's own replies come back as no event",
    async run(context) {
      const { conversationId, event } = await contactMessage(context);
      await context.harness.takeBotWebhooks();
      await context.adapter.replyAsBot({
        conversationId,
        messages: [botMessage(`${event.message.id}:reply:0`, 'An answer')],
      });
      const events = await context.eventsOf(await context.harness.takeBotWebhooks());
      checkEqual(events, [], "events made of the bot's own reply");
    },
  }),
  botHostPoint({
    id: 'internal-mode/replies/idempotent',
    suite: replies,
    title: 'a reply retried after a restart is not posted twice',
    async run(context) {
      const { conversationId, event } = await contactMessage(context);
      const messages = [botMessage(`${event.message.id}:reply:0`, 'Only once')];
      await context.adapter.replyAsBot({ conversationId, messages });
      const restarted = await context.freshAdapter();
      await restarted.replyAsBot({ conversationId, messages, recover: true });
      const all = (await context.harness.getConversation(conversationId))?.messages ?? [];
      checkEqual(all.filter((message) => message.text === 'Only once').length, 1, 'copies of the reply');
    },
  }),
  botHostPoint({
    id: 'internal-mode/replies/never-over-a-human',
    suite: replies,
    title: 'nothing is posted once a human holds the conversation (and the system said so)',
    async run(context) {
      const { conversationId, event } = await contactMessage(context);
      // The system tells the bot, as it would in production; an adapter may guard on that alone.
      await context.eventsOf(await context.harness.agentTakes(conversationId));
      const result = await context.adapter.replyAsBot({
        conversationId,
        messages: [botMessage(`${event.message.id}:reply:0`, 'Too late')],
      });
      checkEqual(result.delivered, false, 'delivered while a human holds the conversation');
      const all = (await context.harness.getConversation(conversationId))?.messages ?? [];
      check(!all.some((message) => message.text === 'Too late'), 'the bot talked over the human');
    },
  }),
  botHostPoint({
    id: 'internal-mode/handoff/to-team',
    suite: handoff,
    title: 'hands the conversation to the team with the note, and agents are told',
    async run(context) {
      const { conversationId } = await contactMessage(context);
      const team = await handoffTeam(context);
      const note = `Routing: skill me.test.shop.Refund (${context.uniqueId('note')})`;
      const result = await context.adapter.handOff({
        conversationId,
        team: team.id,
        note,
        labels: ['bot-handoff'],
      });
      checkEqual(result.team.id, team.id, 'the team the adapter reports');
      const conversation = await context.harness.getConversation(conversationId);
      check(conversation !== undefined, 'the conversation is gone');
      checkEqual(conversation.team?.id, team.id, 'the team of the conversation');
      checkEqual(conversation.holder, 'human', 'who holds the conversation after the handoff');
      checkEqual(conversation.agentsNotified, true, 'agents were told');
      const notes = conversation.messages.filter((message) => message.text === note);
      checkEqual(notes.length, 1, 'copies of the note');
      checkEqual(notes[0]?.private, true, 'the note is private');
      if (conversation.labels !== undefined)
        check(conversation.labels.includes('bot-handoff'), 'the handoff label is missing');
    },
  }),
  botHostPoint({
    id: 'internal-mode/handoff/idempotent',
    suite: handoff,
    title: 'a handoff retried after a restart leaves one note',
    async run(context) {
      const { conversationId } = await contactMessage(context);
      const team = await handoffTeam(context);
      const note = `Handoff note ${context.uniqueId('note')}`;
      await context.adapter.handOff({ conversationId, team: team.id, note });
      await (await context.freshAdapter()).handOff({ conversationId, team: team.id, note, recover: true });
      const all = (await context.harness.getConversation(conversationId))?.messages ?? [];
      checkEqual(all.filter((message) => message.text === note).length, 1, 'copies of the note');
    },
  }),
  botHostPoint({
    id: 'internal-mode/handoff/unknown-team',
    suite: handoff,
    title: 'an unknown team is a not_found error, not a silent success',
    async run(context) {
      const { conversationId } = await contactMessage(context);
      await expectSupportError(
        context.adapter.handOff({ conversationId, team: '987654', note: 'nobody' }),
        ['not_found'],
        'a handoff to a team that does not exist',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/holder/human-after-handoff',
    suite: holder,
    title: 'after the handoff, contact messages say a human holds the conversation',
    async run(context) {
      const first = await contactMessage(context);
      await context.adapter.handOff({
        conversationId: first.conversationId,
        team: (await handoffTeam(context)).id,
        note: 'to a human',
      });
      const next = await contactMessage(context, 'Hello? Anyone?', first.contact.identifier);
      checkEqual(next.conversationId, first.conversationId, 'the conversation the contact writes in');
      checkEqual(next.event.holder, 'human', 'who holds it');
    },
  }),
  botHostPoint({
    id: 'internal-mode/holder/hand-back',
    suite: holder,
    title: 'an agent handing the conversation back is reported as held by the bot',
    async run(context) {
      const first = await contactMessage(context);
      await context.harness.agentTakes(first.conversationId);
      const events = await context.eventsOf(await context.harness.handBackToBot(first.conversationId));
      if (context.harness.features?.reportsHandBack === false) {
        // The system says nothing to the bot: the contact's next message must say the bot holds it.
        const next = await contactMessage(context, 'Are you there?', first.contact.identifier);
        checkEqual(next.event.holder, 'bot', 'who holds the conversation after the hand-back');
        return;
      }
      check(
        events.some((event) => event.type === 'conversation.holder' && event.holder === 'bot'),
        'no conversation.holder event with holder bot after the hand-back',
      );
    },
  }),
  botHostPoint({
    id: 'internal-mode/holder/resolve-and-return',
    suite: holder,
    title: 'a resolve is reported closed, and the contact writing again reaches the bot',
    async run(context) {
      const first = await contactMessage(context);
      await context.harness.agentTakes(first.conversationId);
      const events = await context.eventsOf(await context.harness.resolve(first.conversationId));
      check(
        events.some((event) => event.type === 'conversation.holder' && event.holder === 'closed'),
        'no conversation.holder event with holder closed after the resolve',
      );
      const next = await contactMessage(context, 'One more question', first.contact.identifier);
      checkEqual(next.event.holder, 'bot', 'who holds the conversation the contact came back to');
    },
  }),
  botHostPoint({
    id: 'internal-mode/errors/unauthorized',
    suite: replies,
    title: 'a refused token is an unauthorized error',
    async run(context) {
      const { conversationId, event } = await contactMessage(context);
      context.harness.injectFault({ kind: 'unauthorized' });
      await expectSupportError(
        context.adapter.replyAsBot({
          conversationId,
          messages: [botMessage(`${event.message.id}:reply:0`, 'refused')],
        }),
        ['unauthorized'],
        'a reply with a refused token',
      );
    },
  }),
];
