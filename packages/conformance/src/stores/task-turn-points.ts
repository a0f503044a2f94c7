// The points of periodic turns: with several instances, one of them per period runs a task.
import { check, checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'turns';

export const taskTurnPoints: StorePoint[] = [
  storePoint({
    id: 'turns/first-turn-granted',
    suite,
    title: 'grants the first turn of a task',
    async run({ stores }) {
      checkEqual(await stores.claimTurn('catch-up', 60_000), true, 'the first turn of catch-up');
      checkEqual(await stores.claimTurn('prune', 60_000), true, 'the first turn of another task');
    },
  }),
  storePoint({
    id: 'turns/one-instance-per-period',
    suite,
    title: 'grants a task’s turn to one instance per period, however many ask at once',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const others = [await anotherInstance(), await anotherInstance()];
      const turns = await Promise.all(
        [stores, ...others].map((instance) => instance.claimTurn('catch-up', 60_000)),
      );
      checkEqual(
        turns.filter(Boolean).length,
        1,
        `turns granted of three asked at once (${turns.join(', ')})`,
      );
      const later = await Promise.all(
        [stores, ...others].map((instance) => instance.claimTurn('catch-up', 60_000)),
      );
      check(!later.some(Boolean), 'a turn was granted again within the period');
    },
  }),
];
