// The basic points of a set of stores: it answers readiness.
import { ConformanceFailure, describeThrown } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

export const basicPoints: StorePoint[] = [
  storePoint({
    id: 'basics/ping',
    suite: 'basics',
    title: 'answers a readiness check',
    async run({ stores }) {
      try {
        await stores.ping();
      } catch (error) {
        throw new ConformanceFailure(`ping failed: ${describeThrown(error)}`);
      }
    },
  }),
];
