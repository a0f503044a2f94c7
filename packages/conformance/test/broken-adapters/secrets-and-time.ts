import { isWebhookVerificationError, type SupportAdapter, WebhookVerificationError } from '@handoff/core';
import {
  allOperations,
  type BrokenAdapter,
  changeOperations,
  declaring,
  everyErrorPoint,
  reference,
  rewritingErrors,
  supportErrorLike,
} from './broken-adapter.js';

/** `adapter`, with every refused webhook's error passed through `change` (which may log it). */
function onRefusal(
  adapter: SupportAdapter,
  change: (error: WebhookVerificationError) => WebhookVerificationError,
): SupportAdapter {
  return changeOperations(adapter, {
    handleWebhook: (handle) => async (options) => {
      try {
        return await handle(options);
      } catch (error) {
        throw isWebhookVerificationError(error) ? change(error) : error;
      }
    },
  });
}

/** Bugs that put a credential where someone can read it. */
export const secretBugs: Record<string, BrokenAdapter> = {
  'names the API token in error messages': {
    kind: 'secrets',
    create: (harness, context) =>
      rewritingErrors(reference(harness, context), allOperations, (error) =>
        supportErrorLike(error, { message: `${error.message} (token ${harness.credentials.apiToken})` }),
      ),
    fails: everyErrorPoint,
  },
  'keeps the request headers in vendorBody': {
    kind: 'secrets',
    create: (harness, context) =>
      rewritingErrors(reference(harness, context), allOperations, (error) =>
        supportErrorLike(error, {
          vendorBody: {
            answer: error.vendorBody,
            request: { headers: { authorization: `Bearer ${harness.credentials.apiToken}` } },
          },
        }),
      ),
    fails: everyErrorPoint,
  },
  'wraps errors with a cause that shows the token': {
    kind: 'secrets',
    create: (harness, context) =>
      rewritingErrors(reference(harness, context), allOperations, (error) =>
        supportErrorLike(error, {
          cause: new Error(`POST /api with token=${encodeURIComponent(harness.credentials.apiToken)}`),
        }),
      ),
    fails: everyErrorPoint,
  },
  'logs the webhook secret when a signature does not match': {
    kind: 'secrets',
    create: (harness, context) =>
      onRefusal(reference(harness, context), (error) => {
        if (error.reason === 'invalid_signature')
          console.warn(
            `webhook refused: signature does not match (secret ${harness.credentials.webhookSecret})`,
          );
        return error;
      }),
    fails: [
      'webhook-verification/tampered-body',
      'webhook-verification/tampered-signature',
      'recover/webhook-checks',
      'secrets/webhook-refusals',
    ],
  },
  'names the secret in the verification error': {
    kind: 'secrets',
    create: (harness, context) =>
      onRefusal(
        reference(harness, context),
        (error) =>
          new WebhookVerificationError({
            reason: error.reason,
            message: `${error.message}; checked with secret ${harness.credentials.webhookSecret}`,
          }),
      ),
    fails: ['secrets/webhook-refusals'],
  },
};

/** Bugs in how long a webhook stays acceptable. */
export const timeBugs: Record<string, BrokenAdapter> = {
  'accepts deliveries signed in the future': {
    kind: 'time',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        handleWebhook: (handle) => (options) => {
          const headers = options.headers as Record<string, string>;
          const signed = Number(headers['x-memory-timestamp']) * 1000;
          const receivedAt = (options.receivedAt as Date | undefined) ?? new Date();
          return handle(
            signed > receivedAt.getTime() ? { ...options, receivedAt: new Date(signed) } : options,
          );
        },
      }),
    fails: ['webhook-freshness/timestamp-window'],
  },
  'declares a 60 s tolerance but keeps 300 s': {
    kind: 'time',
    create: (harness, context) => {
      const adapter = reference(harness, context);
      return declaring(adapter, { webhookFreshness: { toleranceSeconds: 60, replayWindowSeconds: 600 } });
    },
    fails: ['webhook-freshness/timestamp-window'],
  },
  'remembers delivery ids for one second only': {
    kind: 'time',
    create: (harness, context) =>
      reference(harness, context, {
        replayGuard: {
          firstSeen: (key, _ttlMs) => context.replayGuard.firstSeen(key, 1_000),
        },
      }),
    fails: ['webhook-freshness/replay-window'],
  },
  'keeps its own replay guard instead of the one it is given': {
    kind: 'time',
    create: (harness, context) => reference(harness, context, { replayGuard: undefined }),
    fails: ['webhook-freshness/replay-window'],
  },
  'remembers a stale delivery it refused': {
    kind: 'time',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        handleWebhook: (handle) => async (options) => {
          const delivery = (options.headers as Record<string, string>)['x-memory-delivery'] ?? '';
          if (!(await context.replayGuard.firstSeen(`early:${delivery}`, 600_000))) {
            throw new WebhookVerificationError({ reason: 'replayed_delivery', message: 'seen before' });
          }
          return handle(options);
        },
      }),
    fails: ['webhook-freshness/timestamp-window', 'abort/handleWebhook', 'recover/webhook-checks'],
  },
};
