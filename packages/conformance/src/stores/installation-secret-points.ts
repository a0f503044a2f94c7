// The points of installation secrets: generated once per name, strong, then always the same.
import { check, checkEqual } from '../check.js';
import { type StorePoint, storePoint } from './store-point.js';

const suite = 'installation-secrets';

export const installationSecretPoints: StorePoint[] = [
  storePoint({
    id: 'installation-secrets/once-per-name',
    suite,
    title: 'generates a long random secret per name once, and answers it again after',
    async run({ stores }) {
      const token = await stores.installationSecret('memory-support-api-token');
      const secret = await stores.installationSecret('memory-support-webhook-secret');
      check(token.length >= 24, `a generated secret of ${token.length} characters (24 or more expected)`);
      check(token !== secret, 'two names were given the same secret');
      checkEqual(
        await stores.installationSecret('memory-support-api-token'),
        token,
        'the secret asked again',
      );
      const [first, ...concurrent] = await Promise.all(
        Array.from({ length: 5 }, () => stores.installationSecret('asked-at-once')),
      );
      check(
        concurrent.every((value) => value === first),
        'a secret asked for five times at once was given different values',
      );
    },
  }),
  storePoint({
    id: 'installation-secrets/kept-across-reopen',
    suite,
    title: 'answers the same secret when the backend is opened again',
    needs: ['reopen'],
    async run({ stores, reopen }) {
      const token = await stores.installationSecret('token');
      const again = await reopen();
      checkEqual(await again.installationSecret('token'), token, 'after a reopen');
    },
  }),
  storePoint({
    id: 'installation-secrets/shared-by-instances',
    suite,
    title: 'answers every instance the same secret, whichever asked first',
    needs: ['anotherInstance'],
    async run({ stores, anotherInstance }) {
      const other = await anotherInstance();
      const [mine, theirs] = await Promise.all([
        stores.installationSecret('token'),
        other.installationSecret('token'),
      ]);
      checkEqual(theirs, mine, 'the second instance’s secret');
    },
  }),
];
