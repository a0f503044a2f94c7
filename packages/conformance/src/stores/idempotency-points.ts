// The idempotency store's points: the answer stored for a key, as stored, on every instance.
import { checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'idempotency';
/** A channel answer as the runtime stores it: JSON, with text that trips naive encodings. */
const answer = (text: string) => JSON.stringify({ replies: [{ id: 'r1', text }], sequence: 3 });

export const idempotencyPoints: StorePoint[] = [
  storePoint({
    id: 'idempotency/answers-what-was-stored',
    suite,
    title: 'answers a key with what was stored for it, and an unknown key with nothing',
    async run({ stores }) {
      checkEqual(await stores.idempotency.get('web/alice:c1'), undefined, 'a key never stored');
      await stores.idempotency.put('web/alice:c1', answer('one'));
      await stores.idempotency.put('web/bob:c1', answer('two'));
      checkEqual(await stores.idempotency.get('web/alice:c1'), answer('one'), 'alice’s c1');
      checkEqual(await stores.idempotency.get('web/bob:c1'), answer('two'), 'bob’s c1');
      checkEqual(
        await stores.idempotency.get('web/alice:c2'),
        undefined,
        'a key never stored, beside one stored',
      );
    },
  }),
  storePoint({
    id: 'idempotency/last-answer-wins',
    suite,
    title: 'answers with the last answer stored for a key',
    async run({ stores }) {
      await stores.idempotency.put('web/alice:c1', answer('first'));
      await stores.idempotency.put('web/alice:c1', answer('second'));
      checkEqual(await stores.idempotency.get('web/alice:c1'), answer('second'), 'a key stored twice');
    },
  }),
  storePoint({
    id: 'idempotency/answer-intact',
    suite,
    title: 'keeps a long answer with any text intact',
    async run({ stores }) {
      const long = answer(`héllo 👋 \u202e "quoted" \\ ${'x'.repeat(64 * 1024)}`);
      await stores.idempotency.put('web/alice:long', long);
      checkEqual(await stores.idempotency.get('web/alice:long'), long, 'a 64 KiB answer');
    },
  }),
  storePoint({
    id: 'idempotency/kept-across-reopen',
    suite,
    title: 'keeps the answers when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      await stores.idempotency.put('web/alice:c1', answer('kept'));
      const again = await reopen();
      checkEqual(await again.idempotency.get('web/alice:c1'), answer('kept'), 'after a reopen');
    },
  }),
  storePoint({
    id: 'idempotency/shared-by-instances',
    suite,
    title: 'answers on every instance what one of them stored',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const other = await anotherInstance();
      await stores.idempotency.put('web/alice:c1', answer('shared'));
      checkEqual(await other.idempotency.get('web/alice:c1'), answer('shared'), 'on the second instance');
    },
  }),
];
