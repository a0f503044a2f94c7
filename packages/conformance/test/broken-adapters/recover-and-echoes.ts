import type { SupportAdapter, SupportEvent, TranscriptMessage } from '@handoff/core';
import { SupportError } from '@handoff/core';
import {
  addingEvents,
  agentMessageOf,
  type BrokenAdapter,
  changeOperations,
  lookupBlind,
  reference,
  resigned,
  rewritingEvents,
  swallowing,
} from './broken-adapter.js';

/** Bugs in retrying a call that may have run. */
export const recoverBugs: Record<string, BrokenAdapter> = {
  'fails to close a conversation already closed': {
    kind: 'recover',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        closeSession: (close) => async (options) => {
          if (harness.system.getConversation(options.conversationId as string)?.status === 'resolved')
            throw new SupportError({ code: 'conflict', message: 'the conversation is already resolved' });
          return close(options);
        },
      }),
    fails: ['recover/closeSession', 'recover/closed-already'],
  },
  'skips the signature check when recovering': {
    kind: 'recover',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        handleWebhook: (handle) => (options) =>
          handle(options.recover === true ? resigned(harness, options) : options),
      }),
    fails: ['recover/webhook-checks'],
  },
  'posts everything again when recovering': {
    kind: 'recover',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        postMessages: (post) => (options) =>
          post(
            options.recover === true
              ? {
                  ...options,
                  messages: (options.messages as TranscriptMessage[]).map((item) => ({
                    ...item,
                    id: `${item.id}-again`,
                  })),
                }
              : options,
          ),
      }),
    fails: ['post-messages/recover', 'recover/postMessages'],
  },
  'creates the user again when the answer to a create is lost': {
    kind: 'recover',
    create: (harness, context) => {
      const blind = reference(harness, context, { system: lookupBlind(harness.system) });
      return changeOperations(reference(harness, context), {
        // A retry inside the adapter, without looking first.
        ensureUser: swallowing(
          (error) => error.code === 'network',
          (_error, options) => blind.ensureUser(options as never),
        ),
      });
    },
    fails: ['errors/ensureUser', 'recover/ensureUser'],
  },
};

/** Texts of what the adapter posted, remembered in this instance only. */
function rememberingPosts(adapter: SupportAdapter, posted: Set<string>): SupportAdapter {
  return changeOperations(adapter, {
    postMessages: (post) => (options) => {
      for (const item of options.messages as TranscriptMessage[]) posted.add(item.text);
      return post(options);
    },
  });
}

/** Rewrites what catching up reads back. */
function rewritingSync(
  adapter: SupportAdapter,
  rewrite: (events: SupportEvent[], conversationId: string) => SupportEvent[],
): SupportAdapter {
  return changeOperations(adapter, {
    syncConversation: (sync) => async (options) => {
      const result = (await sync(options)) as { events: SupportEvent[] };
      return { ...result, events: rewrite(result.events, options.conversationId as string) };
    },
  });
}

/** Bugs in telling the bot's own posts from what an agent wrote. */
export const echoBugs: Record<string, BrokenAdapter> = {
  "drops an agent's reply with the same text as a bot post": {
    kind: 'echoes',
    create: (harness, context) => {
      const posted = new Set<string>();
      return rewritingEvents(rememberingPosts(reference(harness, context), posted), (events) =>
        events.filter((event) => !(event.type === 'agent.message' && posted.has(event.message.text))),
      );
    },
    fails: ['echoes/webhooks'],
  },
  'lets own posts with files come back as agent messages': {
    kind: 'echoes',
    create: (harness, context) =>
      addingEvents(reference(harness, context), ({ event, message, conversation }) =>
        event === 'message.created' &&
        message?.sourceKey !== undefined &&
        (message.attachments?.length ?? 0) > 0
          ? [agentMessageOf(conversation.id, message)]
          : [],
      ),
    fails: ['echoes/webhooks'],
  },
  "reads the bot's own posts back as agent messages when catching up": {
    kind: 'echoes',
    create: (harness, context) =>
      rewritingSync(reference(harness, context), (events, conversationId) => [
        ...(harness.system.getConversation(conversationId)?.messages ?? [])
          .filter((item) => item.sourceKey !== undefined && item.author === 'bot')
          .map((item) => agentMessageOf(conversationId, item)),
        ...events,
      ]),
    fails: ['echoes/catch-up'],
  },
  "drops agents' files when catching up": {
    kind: 'echoes',
    create: (harness, context) =>
      rewritingSync(reference(harness, context), (events) =>
        events.map((event) =>
          event.type === 'agent.message'
            ? { ...event, message: { id: event.message.id, text: event.message.text } }
            : event,
        ),
      ),
    fails: ['echoes/catch-up-files'],
  },
  'knows its own posts only from memory (a restart lets them back in)': {
    kind: 'echoes',
    create: (harness, context) => {
      const mine = new Set<string>();
      // The source key is ignored: bot turns it did not post itself look like an agent's.
      return addingEvents(
        rememberingPosts(reference(harness, context), mine),
        ({ event, message, conversation }) =>
          event === 'message.created' && message?.author === 'bot' && !mine.has(message.text)
            ? [agentMessageOf(conversation.id, message)]
            : [],
      );
    },
    fails: ['echoes/webhooks'],
  },
};
