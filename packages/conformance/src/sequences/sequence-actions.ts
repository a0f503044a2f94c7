import type { MessageAuthor, SupportCapabilities, SupportHarness } from '@handoff/core';
import fc from 'fast-check';

/** One step of a random sequence, on conversation 0 or 1 of the run. */
export type SequenceAction =
  | { kind: 'post'; conversation: number; authors: MessageAuthor[]; file: boolean }
  | { kind: 'repost'; conversation: number; recover: boolean }
  | { kind: 'reply'; conversation: number; file: boolean; sameTextAsBot: boolean }
  | { kind: 'note'; conversation: number }
  | { kind: 'typing'; conversation: number }
  | { kind: 'assign'; conversation: number }
  | { kind: 'resolve'; conversation: number }
  | { kind: 'reopen'; conversation: number }
  | { kind: 'transfer'; conversation: number; note: boolean; labels: boolean }
  | { kind: 'close'; conversation: number; note: boolean }
  | { kind: 'sync'; conversation: number }
  | { kind: 'restart' };

/** How an action reads in a report: `reply(1, file)`. */
export function describeAction(action: SequenceAction): string {
  if (action.kind === 'restart') return 'restart()';
  const flags = Object.entries(action)
    .filter(([key]) => key !== 'kind' && key !== 'conversation')
    .map(([key, value]) => (Array.isArray(value) ? value.join('+') : value === true ? key : undefined))
    .filter((flag) => flag !== undefined);
  return `${action.kind}(${[action.conversation, ...flags].join(', ')})`;
}

/** Random actions, only of the kinds the adapter and the harness declare. */
export function sequenceActions(
  capabilities: SupportCapabilities,
  harness: SupportHarness,
): fc.Arbitrary<SequenceAction> {
  const conversation = fc.integer({ min: 0, max: 1 });
  const file = capabilities.attachments === false ? fc.constant(false) : fc.boolean();
  const kinds: Array<fc.Arbitrary<SequenceAction>> = [
    fc.record({
      kind: fc.constant('post' as const),
      conversation,
      authors: fc.array(fc.constantFrom<MessageAuthor>('user', 'bot', 'note'), {
        minLength: 1,
        maxLength: 3,
      }),
      file,
    }),
    fc.record({ kind: fc.constant('repost' as const), conversation, recover: fc.boolean() }),
    fc.record({ kind: fc.constant('reply' as const), conversation, file, sameTextAsBot: fc.boolean() }),
    fc.record({ kind: fc.constant('typing' as const), conversation }),
    fc.record({ kind: fc.constant('assign' as const), conversation }),
    fc.record({ kind: fc.constant('resolve' as const), conversation }),
    fc.record({
      kind: fc.constant('transfer' as const),
      conversation,
      note: fc.boolean(),
      labels: capabilities.labels ? fc.boolean() : fc.constant(false),
    }),
    fc.record({ kind: fc.constant('close' as const), conversation, note: fc.boolean() }),
    fc.constant({ kind: 'restart' as const }),
  ];
  if (capabilities.privateNotes) kinds.push(fc.record({ kind: fc.constant('note' as const), conversation }));
  if (harness.reopen !== undefined)
    kinds.push(fc.record({ kind: fc.constant('reopen' as const), conversation }));
  if (capabilities.catchUp) kinds.push(fc.record({ kind: fc.constant('sync' as const), conversation }));
  return fc.oneof(...kinds);
}
