import { check, checkEqual } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';

const suite = 'ensure user';

export const ensureUserPoints: ContractPoint[] = [
  contractPoint({
    id: 'ensure-user/idempotent',
    suite,
    title: 'ensuring the same user twice gives one user',
    async run({ adapter, harness, uniqueId }) {
      const id = uniqueId('user');
      const first = await adapter.ensureUser({ user: { id, name: 'Ada Lovelace' } });
      const second = await adapter.ensureUser({ user: { id, name: 'Ada Lovelace' } });
      checkEqual(second.supportUserId, first.supportUserId, 'the support user id of the second call');
      const users = await harness.findUsers({ externalId: id });
      checkEqual(users.length, 1, `users stored under the external id ${id}`);
      checkEqual(users[0]?.supportUserId, first.supportUserId, 'the stored user');
    },
  }),
  contractPoint({
    id: 'ensure-user/after-restart',
    suite,
    title: 'a second adapter instance (nothing cached) finds the user instead of creating one',
    async run({ adapter, harness, freshAdapter, uniqueId }) {
      const id = uniqueId('user');
      const first = await adapter.ensureUser({ user: { id, name: 'Grace Hopper' } });
      const second = await (await freshAdapter()).ensureUser({ user: { id, name: 'Grace Hopper' } });
      checkEqual(second.supportUserId, first.supportUserId, 'the user found by the second instance');
      checkEqual(second.created, false, 'created, for a user that already existed');
      checkEqual(
        (await harness.findUsers({ externalId: id })).length,
        1,
        `users stored under the external id ${id}`,
      );
    },
  }),
  contractPoint({
    id: 'ensure-user/profile',
    suite,
    title: 'stores the bot-side id and the name it is given',
    async run({ adapter, harness, uniqueId }) {
      const id = uniqueId('user');
      const result = await adapter.ensureUser({ user: { id, name: 'Katherine Johnson' } });
      checkEqual(result.created, true, 'created, for a new user');
      const [stored] = await harness.findUsers({ externalId: id });
      check(stored !== undefined, `no user is stored under the external id ${id}`);
      checkEqual(stored.name, 'Katherine Johnson', 'the stored name');
    },
  }),
];
