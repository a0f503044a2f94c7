import { type BrokenAdapter, changeOperations, reference, rewritingEvents } from './broken-adapter.js';

/** Bugs where an option is lost when another is present. */
export const optionBugs: Record<string, BrokenAdapter> = {
  'drops the transfer note when labels are given': {
    kind: 'options in combination',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        transfer: (transfer) => (options) => {
          const { note, ...rest } = options;
          return transfer((options.labels as string[] | undefined)?.length ? rest : { ...rest, note });
        },
      }),
    fails: ['options/transfer'],
  },
  'drops the labels when a note is given': {
    kind: 'options in combination',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        transfer: (transfer) => (options) => {
          const { labels, ...rest } = options;
          return transfer(options.note === undefined ? { ...rest, labels } : rest);
        },
      }),
    fails: ['transfer/labels', 'options/transfer'],
  },
  'posts the closing note for the user to see': {
    kind: 'options in combination',
    create: (harness, context) => {
      const adapter = reference(harness, context);
      return changeOperations(adapter, {
        closeSession: (close) => async (options) => {
          const { note, ...rest } = options as { note?: string; conversationId: string };
          if (note !== undefined)
            await adapter.postMessages({
              conversationId: rest.conversationId,
              messages: [
                { id: `close-${note}`, author: 'bot', text: note, createdAt: new Date().toISOString() },
              ],
            });
          return close(rest);
        },
      });
    },
    fails: ['close-session/note', 'abort/closeSession', 'options/close'],
  },
  'drops the attributes when there is a first message': {
    kind: 'options in combination',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        openConversation: (open) => (options) => {
          const { attributes, ...rest } = options;
          return open(options.firstMessage === undefined ? { ...rest, attributes } : rest);
        },
      }),
    fails: ['options/open'],
  },
  'keeps only the first file of a message': {
    kind: 'options in combination',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        postMessages: (post) => (options) =>
          post({
            ...options,
            messages: (options.messages as Array<{ attachments?: unknown[] }>).map((item) =>
              item.attachments === undefined ? item : { ...item, attachments: item.attachments.slice(0, 1) },
            ),
          }),
      }),
    fails: ['options/post-attachments', 'limits/attachments-per-message'],
  },
};

/** Bugs that show only with a second user, conversation or message. */
export const severalBugs: Record<string, BrokenAdapter> = {
  'reports events under the first conversation it saw': {
    kind: 'several of everything',
    create: (harness, context) => {
      let first: string | undefined;
      return rewritingEvents(reference(harness, context), (events) =>
        events.map((event) => {
          first ??= event.conversationId;
          return { ...event, conversationId: first };
        }),
      );
    },
    fails: ['several/agent-events', 'sequences/random'],
  },
  'reports events with the session of the first conversation it saw': {
    kind: 'several of everything',
    create: (harness, context) => {
      let session: string | undefined;
      return rewritingEvents(reference(harness, context), (events) =>
        events.map((event) => {
          session ??= event.sessionId;
          return session === undefined ? event : { ...event, sessionId: session };
        }),
      );
    },
    fails: ['several/agent-events'],
  },
  'numbers posted messages per batch (support ids repeat across conversations)': {
    kind: 'several of everything',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        postMessages: (post) => async (options) => {
          const result = (await post(options)) as { posted: Array<{ id: string }> };
          return {
            posted: result.posted.map((entry, index) => ({
              id: entry.id,
              supportMessageId: String(index + 1),
            })),
          };
        },
      }),
    fails: ['several/conversations'],
  },
  'keys typing events by conversation (a second typing repeats the id)': {
    kind: 'several of everything',
    create: (harness, context) =>
      rewritingEvents(reference(harness, context), (events) =>
        events.map((event) =>
          event.type === 'agent.typing' ? { ...event, id: `typing:${event.conversationId}` } : event,
        ),
      ),
    fails: ['agent-events/typing', 'sequences/random'],
  },
  'recovers any open conversation of the user, not the handoff’s': {
    kind: 'several of everything',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        openConversation: (open) => async (options) => {
          if (options.recover === true) {
            const found = harness.system
              .listConversations()
              .find(
                (conversation) =>
                  conversation.userId === options.supportUserId && conversation.status !== 'resolved',
              );
            if (found !== undefined) return { conversationId: found.id, recovered: true };
          }
          return open(options);
        },
      }),
    fails: ['several/recover-open'],
  },
  'catches up on the first conversation it read, whichever is asked': {
    kind: 'several of everything',
    create: (harness, context) => {
      let first: string | undefined;
      return changeOperations(reference(harness, context), {
        syncConversation: (sync) => (options) => {
          first ??= options.conversationId as string;
          return sync({ ...options, conversationId: first });
        },
      });
    },
    fails: ['several/catch-up', 'sequences/random'],
  },
  'closes the conversation it opened last, not the one asked': {
    kind: 'several of everything',
    create: (harness, context) => {
      let last: string | undefined;
      return changeOperations(reference(harness, context), {
        openConversation: (open) => async (options) => {
          const result = (await open(options)) as { conversationId: string };
          last = result.conversationId;
          return result;
        },
        closeSession: (close) => (options) =>
          close({ ...options, conversationId: last ?? options.conversationId }),
      });
    },
    fails: ['several/close', 'sequences/random'],
  },
};
