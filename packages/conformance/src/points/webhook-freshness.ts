import { check, checkEqual, describeThrown, expectVerificationError } from '../check.js';
import { type ContractPoint, contractPoint, type PointContext } from '../contract-point.js';
import { transferredConversation } from '../point-helpers.js';
import { sharedSecretReason } from '../webhook-credential.js';

const suite = 'webhook freshness';

/**
 * Two genuine deliveries (agent replies) and the kit-clock times around their signing. A system
 * may send an action's webhooks in any order (Chatwoot runs each as its own job), so `first` is
 * the first webhook of the first reply and `firstAll` every webhook of it (the same for the
 * second): only together are they sure to carry the reply.
 */
async function twoDeliveries(context: PointContext) {
  const { conversationId } = await transferredConversation(context);
  await context.harness.takeWebhooks();
  const signedFrom = context.clock.now();
  const firstAll = await context.harness.agentReply(conversationId, { text: 'Fresh enough?' });
  const secondAll = await context.harness.agentReply(conversationId, { text: 'And this one?' });
  const signedUntil = context.clock.now();
  const first = firstAll[0];
  const second = secondAll[0];
  check(first !== undefined && second !== undefined, 'an agent reply made the system send no webhook');
  return { first, second, firstAll, secondAll, signedFrom, signedUntil };
}

/** Deliveries carry no signed timestamp: only the replay guard can refuse a replay. */
const untimestamped = (
  features: { timestampedSignatures?: boolean; sharedSecretHeader?: string } | undefined,
) => features?.timestampedSignatures === false || features?.sharedSecretHeader !== undefined;

const skipUnlessTimestamped: ContractPoint['skipUnless'] = ({ harness }) => {
  if (harness.features?.signedWebhooks === false) return 'the system signs no webhooks';
  const sharedSecret = sharedSecretReason(harness.features);
  if (sharedSecret !== undefined) return sharedSecret;
  if (harness.features?.timestampedSignatures === false) return 'the system signs no timestamp';
  return undefined;
};

export const webhookFreshnessPoints: ContractPoint[] = [
  contractPoint({
    id: 'webhook-freshness/timestamp-window',
    suite,
    title:
      'a delivery is accepted up to the declared tolerance (at most 5 minutes) in the past and in the future, refused beyond it',
    skipUnless: skipUnlessTimestamped,
    async run(context) {
      const tolerance = context.capabilities.webhookFreshness.toleranceSeconds;
      check(
        tolerance !== undefined,
        'the system signs a timestamp, but the adapter declares no webhookFreshness.toleranceSeconds',
      );
      const { firstAll, secondAll, signedFrom, signedUntil } = await twoDeliveries(context);
      const margin = 5_000;
      const at = (ms: number) => new Date(ms);
      // Refusals first: a refused delivery must leave no trace, so it is accepted afterwards.
      for (const request of firstAll)
        await expectVerificationError(
          context.adapter.handleWebhook({
            ...request,
            receivedAt: at(signedFrom + tolerance * 1_000 + margin),
          }),
          `a delivery received ${tolerance} s + 5 s after it was signed`,
        );
      for (const request of secondAll)
        await expectVerificationError(
          context.adapter.handleWebhook({
            ...request,
            receivedAt: at(signedUntil - tolerance * 1_000 - margin),
          }),
          `a delivery received ${tolerance} s + 5 s before it was signed (a clock ahead)`,
        );
      for (const [requests, receivedAt, what] of [
        [firstAll, signedUntil + tolerance * 1_000 - margin, `${tolerance} s - 5 s after it was signed`],
        [secondAll, signedFrom - tolerance * 1_000 + margin, `${tolerance} s - 5 s before it was signed`],
      ] as const) {
        let events = 0;
        for (const request of requests) {
          try {
            events += (await context.adapter.handleWebhook({ ...request, receivedAt: at(receivedAt) })).events
              .length;
          } catch (error) {
            throw new Error(`a delivery received ${what} must be accepted, got ${describeThrown(error)}`);
          }
        }
        check(events > 0, `the deliveries of an agent reply received ${what} gave no events`);
      }
    },
  }),
  contractPoint({
    id: 'webhook-freshness/replay-window',
    suite,
    title: 'a replay is refused at once and still near the end of the declared replay window',
    skipUnless: ({ harness }) =>
      harness.features?.deliveryIds === false ? 'the system sends no delivery ids' : undefined,
    async run(context) {
      const { replayWindowSeconds, toleranceSeconds } = context.capabilities.webhookFreshness;
      const { first } = await twoDeliveries(context);
      const callsBefore = context.replayGuardCalls();
      await context.adapter.handleWebhook({ ...first, receivedAt: context.clock.date() });
      check(
        context.replayGuardCalls() > callsBefore,
        'the adapter did not use the replay guard the kit passed (AdapterContext.replayGuard): pass it as the adapter’s replay guard',
      );
      await expectVerificationError(
        context.adapter.handleWebhook({ ...first, receivedAt: context.clock.date() }),
        'the same delivery at once',
      );
      // Within the tolerance only the replay guard can refuse it (the timestamp is still good).
      const windowSeconds =
        toleranceSeconds === undefined || untimestamped(context.harness.features)
          ? replayWindowSeconds
          : Math.min(replayWindowSeconds, toleranceSeconds);
      const later = Math.max(0, windowSeconds * 1_000 - 10_000);
      context.clock.advance(later);
      const error = await expectVerificationError(
        context.adapter.handleWebhook({ ...first, receivedAt: context.clock.date() }),
        `the same delivery ${Math.round(later / 1_000)} s later (the replay window is ${replayWindowSeconds} s)`,
      );
      if (toleranceSeconds !== undefined && !untimestamped(context.harness.features))
        checkEqual(error.reason, 'replayed_delivery', 'why the late replay was refused');
    },
  }),
];
