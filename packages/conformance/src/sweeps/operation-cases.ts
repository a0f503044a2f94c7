import type { CallOptions, SupportAdapter, SupportOperation } from '@handoff/core';
import { check } from '../check.js';
import type { PointContext } from '../contract-point.js';
import { genuineWebhook, message, openConversation, transferredConversation } from '../point-helpers.js';

type CheckedOperation = SupportOperation | 'syncConversation' | 'teamAvailability';

/** What a sweep needs of one operation: a call with new inputs each time, and its visible effects. */
export interface PreparedCall {
  /** One call on `adapter` (each with new inputs where the operation creates something). */
  call(adapter: SupportAdapter, options: CallOptions): Promise<unknown>;
  /** What the last call changed that the harness can see, described, or undefined for nothing. */
  lastEffect(): Promise<string | undefined>;
  /**
   * Whether the last call, which succeeded, really did its work (the adapter dealt with a failure
   * of the system another way): undefined when it did, else what is missing.
   */
  effectHolds(value: unknown): Promise<string | undefined>;
}

export interface OperationCase {
  operation: CheckedOperation;
  /** Whether the operation calls the system at all (handleWebhook does not). */
  callsTheSystem: boolean;
  skipUnless?: (context: { capabilities: SupportAdapter['capabilities'] }) => string | undefined;
  prepare(context: PointContext): Promise<PreparedCall>;
}

const nothing = async () => undefined;

async function messageCount(context: PointContext, conversationId: string) {
  return (await context.harness.getConversation(conversationId))?.messages.length ?? 0;
}

/** The operations the sweeps check, each with the state it needs prepared by the point's adapter. */
export const operationCases: readonly OperationCase[] = [
  {
    operation: 'ensureUser',
    callsTheSystem: true,
    async prepare(context) {
      let last = '';
      return {
        call(adapter, options) {
          last = context.uniqueId('user');
          return adapter.ensureUser({ ...options, user: { id: last, name: 'Sweep User' } });
        },
        async lastEffect() {
          const users = await context.harness.findUsers({ externalId: last });
          return users.length === 0 ? undefined : `a user was created under ${last}`;
        },
        async effectHolds(value) {
          const users = await context.harness.findUsers({ externalId: last });
          const id = (value as { supportUserId?: string }).supportUserId;
          return users.length === 1 && users[0]?.supportUserId === id
            ? undefined
            : `${users.length} users stored under ${last}, the call said ${id}`;
        },
      };
    },
  },
  {
    operation: 'openConversation',
    callsTheSystem: true,
    async prepare(context) {
      const { supportUserId } = await context.adapter.ensureUser({
        user: { id: context.uniqueId('user'), name: 'Sweep User' },
      });
      const count = async () => (await context.harness.conversationsOf?.(supportUserId))?.length ?? 0;
      let before = await count();
      return {
        async call(adapter, options) {
          before = await count();
          return adapter.openConversation({
            ...options,
            supportUserId,
            sessionId: context.uniqueId('session'),
            handoffId: context.uniqueId('handoff'),
          });
        },
        async lastEffect() {
          const after = await count();
          return after > before ? 'a conversation was opened' : undefined;
        },
        async effectHolds(value) {
          const id = (value as { conversationId?: string }).conversationId;
          const conversation = id === undefined ? undefined : await context.harness.getConversation(id);
          if (conversation?.supportUserId !== supportUserId)
            return `the system has no conversation ${id} of the user`;
          if (context.harness.conversationsOf !== undefined && (await count()) !== before + 1)
            return `${(await count()) - before} conversations were opened`;
          return undefined;
        },
      };
    },
  },
  {
    operation: 'postMessages',
    callsTheSystem: true,
    async prepare(context) {
      const { conversationId } = await openConversation(context);
      let before = await messageCount(context, conversationId);
      let text = '';
      return {
        async call(adapter, options) {
          before = await messageCount(context, conversationId);
          text = `A sweep message (${context.uniqueId('text')})`;
          return adapter.postMessages({
            ...options,
            conversationId,
            messages: [message(context, 'user', text)],
          });
        },
        async lastEffect() {
          const after = await messageCount(context, conversationId);
          return after > before ? 'a message was posted' : undefined;
        },
        async effectHolds() {
          const stored = (await context.harness.getConversation(conversationId))?.messages ?? [];
          const copies = stored.filter((item) => item.text === text).length;
          return copies === 1 ? undefined : `${copies} copies of the message were stored`;
        },
      };
    },
  },
  {
    operation: 'listTeams',
    callsTheSystem: true,
    async prepare(context) {
      const expected = (await context.harness.teams()).map((team) => team.id).sort();
      return {
        call: (adapter, options) => adapter.listTeams(options),
        lastEffect: nothing,
        async effectHolds(value) {
          const listed = (value as Array<{ id: string }>).map((team) => team.id).sort();
          return JSON.stringify(listed) === JSON.stringify(expected)
            ? undefined
            : `it listed ${listed.join(', ')}`;
        },
      };
    },
  },
  {
    operation: 'transfer',
    callsTheSystem: true,
    async prepare(context) {
      const { conversationId } = await openConversation(context);
      const team = (await context.harness.teams())[1] ?? (await context.harness.teams())[0];
      check(team !== undefined, 'the harness backend has no team');
      let note = '';
      return {
        call(adapter, options) {
          note = `A sweep transfer (${context.uniqueId('note')})`;
          return adapter.transfer({ ...options, conversationId, team: team.id, note });
        },
        async lastEffect() {
          const conversation = await context.harness.getConversation(conversationId);
          if (conversation?.team?.id === team.id) return `the conversation went to team ${team.id}`;
          if (conversation?.messages.some((item) => item.text.includes(note))) return 'the note was posted';
          return undefined;
        },
        async effectHolds() {
          const conversation = await context.harness.getConversation(conversationId);
          const copies = conversation?.messages.filter((item) => item.text.includes(note)).length ?? 0;
          if (conversation?.team?.id !== team.id)
            return `the conversation is with team ${conversation?.team?.id}`;
          return copies === 1 ? undefined : `${copies} copies of the note`;
        },
      };
    },
  },
  {
    operation: 'closeSession',
    callsTheSystem: true,
    async prepare(context) {
      const { conversationId } = await transferredConversation(context);
      let note = '';
      return {
        call(adapter, options) {
          note = `A sweep close (${context.uniqueId('note')})`;
          return adapter.closeSession({ ...options, conversationId, note });
        },
        async lastEffect() {
          const conversation = await context.harness.getConversation(conversationId);
          if (conversation?.status === 'resolved') return 'the conversation was resolved';
          if (conversation?.messages.some((item) => item.text.includes(note))) return 'the note was posted';
          return undefined;
        },
        async effectHolds() {
          const conversation = await context.harness.getConversation(conversationId);
          const copies = conversation?.messages.filter((item) => item.text.includes(note)).length ?? 0;
          if (conversation?.status !== 'resolved') return `the conversation is ${conversation?.status}`;
          return copies === 1 ? undefined : `${copies} copies of the closing note`;
        },
      };
    },
  },
  {
    operation: 'handleWebhook',
    callsTheSystem: false,
    async prepare(context) {
      const { request } = await genuineWebhook(context, `A sweep reply (${context.uniqueId('reply')})`);
      return {
        call: (adapter, options) => adapter.handleWebhook({ ...options, ...request }),
        // A refused or aborted call leaves the delivery unseen: a fresh look must still accept it.
        async lastEffect() {
          try {
            const result = await context.adapter.handleWebhook({ ...request });
            return result.events.length === 0 ? 'the delivery gave no events afterwards' : undefined;
          } catch (error) {
            return `the delivery was refused afterwards (${error instanceof Error ? error.message : String(error)})`;
          }
        },
        effectHolds: nothing,
      };
    },
  },
  {
    operation: 'syncConversation',
    callsTheSystem: true,
    skipUnless: ({ capabilities }) =>
      capabilities.catchUp ? undefined : 'the adapter declares catchUp: false',
    async prepare(context) {
      const { conversationId } = await transferredConversation(context);
      return {
        call: (adapter, options) => {
          check(adapter.syncConversation !== undefined, 'the adapter has no syncConversation');
          return adapter.syncConversation({ ...options, conversationId });
        },
        lastEffect: nothing,
        // A read that succeeded after a failure made another call: it must answer what a plain one does.
        async effectHolds(value) {
          const plain = await context.adapter.syncConversation?.({ conversationId });
          const ids = (result: unknown) =>
            (result as { events: Array<{ id: string }> }).events.map((event) => event.id);
          return JSON.stringify(ids(value)) === JSON.stringify(ids(plain))
            ? undefined
            : 'it read other events';
        },
      };
    },
  },
  {
    operation: 'teamAvailability',
    callsTheSystem: true,
    skipUnless: ({ capabilities }) =>
      capabilities.availability ? undefined : 'the adapter declares availability: false',
    async prepare(context) {
      const team = (await context.harness.teams())[0];
      check(team !== undefined, 'the harness backend has no team');
      return {
        call: (adapter, options) => {
          check(adapter.teamAvailability !== undefined, 'the adapter has no teamAvailability');
          return adapter.teamAvailability({ ...options, team: team.id });
        },
        lastEffect: nothing,
        async effectHolds(value) {
          const plain = await context.adapter.teamAvailability?.({ team: team.id });
          return (value as { available?: boolean }).available === plain?.available
            ? undefined
            : 'it answered otherwise';
        },
      };
    },
  },
];
