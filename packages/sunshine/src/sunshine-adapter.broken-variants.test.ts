import {
  acceptingUnverifiedWebhooks,
  type ConformanceTarget,
  closingNothing,
  failedPointIds,
  transferringToTheFirstTeam,
} from '@handoff/conformance';
import type { ReplayGuard, SupportAdapter } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { createSunshineHarness, type SunshineHarness, sunshineAdapterFor } from './testing/index.js';

type Context = { requestTimeoutMs: number; replayGuard: ReplayGuard };

const adapterFor = (harness: SunshineHarness, context: Context, replayGuard = context.replayGuard) =>
  sunshineAdapterFor(harness.fake, { ...context, replayGuard });

/** The Sunshine target with the adapter bent by `breaking`. */
const broken = (
  breaking: (adapter: SupportAdapter, harness: SunshineHarness, context: Context) => SupportAdapter,
): ConformanceTarget<SunshineHarness> => ({
  name: 'sunshine, broken',
  harness: () => createSunshineHarness(),
  createAdapter: (harness, context) => breaking(adapterFor(harness, context), harness, context),
});

describe('the external kit fails broken Sunshine adapters', () => {
  it('fails an adapter that accepts deliveries without the shared secret', async () => {
    const failed = await failedPointIds(broken(acceptingUnverifiedWebhooks), ['webhook-verification/']);
    expect(failed).toEqual(
      expect.arrayContaining([
        'webhook-verification/tampered-signature',
        'webhook-verification/missing-credential',
      ]),
    );
  });

  it('fails an adapter that forgets the event ids it saw (no replay refusal)', async () => {
    const forgetful: ReplayGuard = { firstSeen: async () => true };
    const failed = await failedPointIds(
      broken((_adapter, harness, context) => adapterFor(harness, context, forgetful)),
      ['webhook-verification/replay', 'webhook-freshness/replay-window'],
    );
    expect(failed).toEqual(
      expect.arrayContaining(['webhook-verification/replay', 'webhook-freshness/replay-window']),
    );
  });

  it('fails an adapter that routes every transfer to the first group', async () => {
    const failed = await failedPointIds(broken(transferringToTheFirstTeam), ['transfer/team']);
    expect(failed).toContain('transfer/team');
  });

  it('fails an adapter that trusts a retried post (ignores recover)', async () => {
    const failed = await failedPointIds(
      broken((adapter) => ({
        ...adapter,
        postMessages: (options) => adapter.postMessages({ ...options, recover: false }),
      })),
      ['post-messages/recover'],
    );
    expect(failed).toContain('post-messages/recover');
  });

  it('fails an adapter whose close does nothing (control never released)', async () => {
    const failed = await failedPointIds(broken(closingNothing), ['close-session/resolves']);
    expect(failed).toContain('close-session/resolves');
  });
});
