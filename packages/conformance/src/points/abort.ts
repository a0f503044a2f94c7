import { check, checkEqual, expectSupportError } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { elapsedSince } from '../point-helpers.js';

const suite = 'abort';

export const abortPoints: ContractPoint[] = [
  contractPoint({
    id: 'abort/in-flight',
    suite,
    title: 'aborting the signal stops a call in flight',
    async run(context) {
      context.harness.injectFault({ kind: 'timeout' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const start = performance.now();
      await expectSupportError(
        context.adapter.ensureUser({ user: { id: context.uniqueId('user') }, signal: controller.signal }),
        ['aborted'],
        'a call aborted after 50 ms',
      );
      const elapsed = elapsedSince(start);
      check(
        elapsed < Math.min(1_000, context.requestTimeoutMs / 2),
        `the call stopped ${elapsed} ms after it started, not at the abort`,
      );
    },
  }),
  contractPoint({
    id: 'abort/before-start',
    suite,
    title: 'an already aborted signal stops the call before it has any effect',
    async run(context) {
      const id = context.uniqueId('user');
      const controller = new AbortController();
      controller.abort();
      await expectSupportError(
        context.adapter.ensureUser({ user: { id }, signal: controller.signal }),
        ['aborted'],
        'a call with an aborted signal',
      );
      checkEqual(
        (await context.harness.findUsers({ externalId: id })).length,
        0,
        'users created despite the abort',
      );
    },
  }),
];
