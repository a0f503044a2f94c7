import type { WebhookRequest } from '@handoff/core';
import { check, checkEqual, expectVerificationError } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { genuineWebhook } from '../point-helpers.js';
import { credentialHeaderOf, sharedSecretReason, withoutCredential } from '../webhook-credential.js';

const suite = 'webhook verification';

const unsigned = ({ harness }: { harness: { features?: { signedWebhooks?: boolean } } }) =>
  harness.features?.signedWebhooks === false
    ? 'the system signs no webhooks (Chatwoot inbox webhooks before 4.13.0): the adapter runs unsigned'
    : undefined;

type Features = Parameters<typeof credentialHeaderOf>[1];

function tamperSignature(request: WebhookRequest, features: Features): WebhookRequest {
  const name = credentialHeaderOf(request, features);
  check(name !== undefined, 'the webhook has no signature (or shared secret) header to tamper with');
  const value = request.headers[name] ?? '';
  const last = value.at(-1) === '0' ? '1' : '0';
  return { ...request, headers: { ...request.headers, [name]: `${value.slice(0, -1)}${last}` } };
}

export const webhookVerificationPoints: ContractPoint[] = [
  contractPoint({
    id: 'webhook-verification/tampered-body',
    suite,
    title: 'a tampered body is refused',
    skipUnless: ({ harness }) => unsigned({ harness }) ?? sharedSecretReason(harness.features),
    async run(context) {
      const { request, text } = await genuineWebhook(context, 'Your refund of 20 EUR is approved');
      const body = request.body.includes(text)
        ? request.body.replace(text, 'Your refund of 2000 EUR is approved')
        : `${request.body} `;
      await expectVerificationError(
        context.adapter.handleWebhook({ headers: request.headers, body }),
        'a tampered body',
      );
    },
  }),
  contractPoint({
    id: 'webhook-verification/tampered-signature',
    suite,
    title: 'a tampered signature (or shared secret) is refused',
    skipUnless: unsigned,
    async run(context) {
      const { request } = await genuineWebhook(context);
      const tampered = tamperSignature(request, context.harness.features);
      await expectVerificationError(
        context.adapter.handleWebhook({ headers: tampered.headers, body: tampered.body }),
        'a tampered signature (or shared secret)',
      );
    },
  }),
  contractPoint({
    id: 'webhook-verification/missing-credential',
    suite,
    title: 'a delivery without its signature (or shared secret) is refused',
    skipUnless: unsigned,
    async run(context) {
      const { request } = await genuineWebhook(context);
      const bare = withoutCredential(request, context.harness.features);
      await expectVerificationError(
        context.adapter.handleWebhook({ headers: bare.headers, body: bare.body }),
        'a delivery without its signature (or shared secret)',
      );
    },
  }),
  contractPoint({
    id: 'webhook-verification/stale',
    suite,
    title: 'a delivery signed too long ago is refused',
    skipUnless: ({ harness }) =>
      unsigned({ harness }) ??
      sharedSecretReason(harness.features) ??
      (harness.features?.timestampedSignatures === false
        ? 'the support system signs no timestamp (replays are refused by delivery id)'
        : undefined),
    async run(context) {
      const { request } = await genuineWebhook(context);
      const anHourLater = new Date(Date.now() + 60 * 60 * 1000);
      await expectVerificationError(
        context.adapter.handleWebhook({
          headers: request.headers,
          body: request.body,
          receivedAt: anHourLater,
        }),
        'a delivery received an hour after it was signed',
      );
    },
  }),
  contractPoint({
    id: 'webhook-verification/replay',
    suite,
    title: 'a replayed delivery is refused (or, without delivery ids, has no second effect)',
    async run(context) {
      const { request } = await genuineWebhook(context);
      await context.adapter.handleWebhook({ headers: request.headers, body: request.body });
      if (context.harness.features?.deliveryIds === false) {
        const again = await context.adapter.handleWebhook({ headers: request.headers, body: request.body });
        checkEqual(again.events.length, 0, 'events of the same delivery a second time');
        return;
      }
      await expectVerificationError(
        context.adapter.handleWebhook({ headers: request.headers, body: request.body }),
        'the same delivery a second time',
      );
    },
  }),
];
