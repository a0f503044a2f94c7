// The mailbox's points: every message of a user kept once, in order, readable after any number.
import { check, checkEqual } from '../check.js';
import { outboundMessage, richOutboundMessage } from './outbound-message.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'mailbox';
const ids = (entries: ReadonlyArray<{ message: { id: string } }>) => entries.map((entry) => entry.message.id);

export const mailboxPoints: StorePoint[] = [
  storePoint({
    id: 'mailbox/numbers-in-order',
    suite,
    title: 'numbers a user’s messages in the order they were appended, and reads them back in that order',
    async run({ stores }) {
      const appended = [];
      for (const id of ['m1', 'm2', 'm3', 'm4'])
        appended.push(await stores.mailbox.append('web/alice', outboundMessage(id)));
      check(
        appended.every((entry) => entry.fresh),
        'a new message was not reported fresh',
      );
      const sequences = appended.map((entry) => entry.sequence);
      check(
        sequences.every((sequence, index) => index === 0 || sequence > (sequences[index - 1] ?? 0)),
        `sequences do not grow with each message: ${sequences.join(', ')}`,
      );
      const read = await stores.mailbox.after('web/alice', 0);
      checkEqual(ids(read), ['m1', 'm2', 'm3', 'm4'], 'the messages read back');
      checkEqual(
        read.map((entry) => entry.sequence),
        sequences,
        'the sequences read back (the ones append answered)',
      );
    },
  }),
  storePoint({
    id: 'mailbox/once-per-message-id',
    suite,
    title: 'keeps a message appended again once, with its first sequence and content',
    async run({ stores }) {
      const first = await stores.mailbox.append('web/alice', outboundMessage('m1', 'first'));
      await stores.mailbox.append('web/alice', outboundMessage('m2'));
      const again = await stores.mailbox.append('web/alice', outboundMessage('m1', 'changed'));
      checkEqual(again.fresh, false, 'fresh for a message appended again');
      checkEqual(again.sequence, first.sequence, 'the sequence of a message appended again');
      const read = await stores.mailbox.after('web/alice', 0);
      checkEqual(ids(read), ['m1', 'm2'], 'the messages after a repeated append');
      checkEqual(read[0]?.message.text, 'first', 'the text of the message appended twice');
    },
  }),
  storePoint({
    id: 'mailbox/after-a-sequence',
    suite,
    title: 'reads only what came after a sequence, at most the limit, oldest first',
    async run({ stores }) {
      const entries = [];
      for (const id of ['m1', 'm2', 'm3', 'm4', 'm5'])
        entries.push(await stores.mailbox.append('web/alice', outboundMessage(id)));
      const [first, , third, , last] = entries;
      if (first === undefined || third === undefined || last === undefined) throw new Error('unreachable');
      checkEqual(
        ids(await stores.mailbox.after('web/alice', first.sequence)),
        ['m2', 'm3', 'm4', 'm5'],
        'after m1',
      );
      checkEqual(ids(await stores.mailbox.after('web/alice', third.sequence, 1)), ['m4'], 'one after m3');
      checkEqual(ids(await stores.mailbox.after('web/alice', 0, 2)), ['m1', 'm2'], 'the first two');
      checkEqual(await stores.mailbox.after('web/alice', last.sequence), [], 'after the last one');
      checkEqual(await stores.mailbox.after('web/nobody', 0), [], 'the mailbox of a user without messages');
    },
  }),
  storePoint({
    id: 'mailbox/users-apart',
    suite,
    title: 'keeps each user’s messages apart, the same message id included',
    async run({ stores }) {
      await stores.mailbox.append('web/alice', outboundMessage('a1'));
      const bobs = await stores.mailbox.append('web/bob', outboundMessage('a1', 'for bob'));
      await stores.mailbox.append('web/bob', outboundMessage('b2'));
      await stores.mailbox.append('web/alice', outboundMessage('a2'));
      checkEqual(bobs.fresh, true, 'fresh for a message id another user already has');
      checkEqual(ids(await stores.mailbox.after('web/alice', 0)), ['a1', 'a2'], 'alice’s messages');
      const forBob = await stores.mailbox.after('web/bob', 0);
      checkEqual(ids(forBob), ['a1', 'b2'], 'bob’s messages');
      checkEqual(forBob[0]?.message.text, 'for bob', 'the text of bob’s a1');
    },
  }),
  storePoint({
    id: 'mailbox/message-intact',
    suite,
    title: 'gives back every field of a message as it was appended, in a copy',
    async run({ stores }) {
      const message = richOutboundMessage('rich');
      const appended = await stores.mailbox.append('web/alice', message);
      checkEqual(appended.message, message, 'the message append answered');
      const [read] = await stores.mailbox.after('web/alice', 0);
      checkEqual(read?.message, richOutboundMessage('rich'), 'the message read back');
      if (read !== undefined) read.message.text = 'changed by the reader';
      const [again] = await stores.mailbox.after('web/alice', 0);
      checkEqual(again?.message.text, message.text, 'the text after a reader changed its copy');
    },
  }),
  storePoint({
    id: 'mailbox/concurrent-appends',
    suite,
    title: 'numbers concurrent appends each once, and reads them back in sequence order',
    async run({ stores }) {
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          stores.mailbox.append('web/alice', outboundMessage(`m${index}`)),
        ),
      );
      const sequences = appended.map((entry) => entry.sequence);
      checkEqual(new Set(sequences).size, 50, 'distinct sequences of 50 concurrent appends');
      const read = await stores.mailbox.after('web/alice', 0, 100);
      checkEqual(
        read.map((entry) => entry.sequence),
        [...sequences].sort((left, right) => left - right),
        'the sequences read back',
      );
      const byId = new Map(appended.map((entry) => [entry.message.id, entry.sequence]));
      check(
        read.every((entry) => byId.get(entry.message.id) === entry.sequence),
        'an entry read back has another sequence than its append answered',
      );
    },
  }),
  storePoint({
    id: 'mailbox/kept-across-reopen',
    suite,
    title: 'keeps every message, and its sequence, when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      const one = await stores.mailbox.append('web/alice', outboundMessage('m1'));
      await stores.mailbox.append('web/alice', outboundMessage('m2'));
      const again = await reopen();
      checkEqual(ids(await again.mailbox.after('web/alice', 0)), ['m1', 'm2'], 'the messages after a reopen');
      checkEqual(
        ids(await again.mailbox.after('web/alice', one.sequence)),
        ['m2'],
        'after m1, after a reopen',
      );
      const repeated = await again.mailbox.append('web/alice', outboundMessage('m1'));
      checkEqual(repeated, { ...one, fresh: false }, 'm1 appended again after a reopen');
      const three = await again.mailbox.append('web/alice', outboundMessage('m3'));
      checkEqual(
        ids(await again.mailbox.after('web/alice', 0)).at(-1),
        'm3',
        'a message appended after a reopen comes last',
      );
      check(three.fresh, 'a new message after a reopen was not reported fresh');
    },
  }),
  storePoint({
    id: 'mailbox/shared-by-instances',
    suite,
    title: 'is one mailbox for every instance: each message once, in order, from whichever appended it',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const other = await anotherInstance();
      const one = await stores.mailbox.append('web/alice', outboundMessage('m1'));
      const two = await other.mailbox.append('web/alice', outboundMessage('m2'));
      const repeated = await other.mailbox.append('web/alice', outboundMessage('m1', 'changed'));
      check(
        two.sequence > one.sequence,
        'a message appended on the second instance numbered before the first',
      );
      checkEqual(repeated.fresh, false, 'fresh for m1 appended again on the second instance');
      checkEqual(ids(await stores.mailbox.after('web/alice', 0)), ['m1', 'm2'], 'read on the first instance');
      checkEqual(ids(await other.mailbox.after('web/alice', 0)), ['m1', 'm2'], 'read on the second instance');
    },
  }),
];
