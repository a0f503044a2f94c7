import type { WebhookRequest } from '@handoff/core';
import { check } from '../check.js';
import { type ContractPoint, contractPoint } from '../contract-point.js';
import { genuineWebhook } from '../point-helpers.js';
import { secretLeak } from '../secret-scan.js';
import { credentialHeaderOf } from '../webhook-credential.js';

const suite = 'secrets';

const undeclared: ContractPoint['skipUnless'] = ({ harness }) =>
  (harness.secrets ?? []).length === 0 ? 'the harness names no credentials (secrets)' : undefined;

export const secretPoints: ContractPoint[] = [
  contractPoint({
    id: 'secrets/declared',
    suite,
    title: 'the harness names the credentials the adapter is configured with, so the kit can search for them',
    async run({ secrets }) {
      check(
        secrets.length > 0,
        'the harness names no credentials (SupportHarness.secrets): the kit cannot check that none leaks',
      );
      const short = secrets.filter((secret) => secret.length < 8);
      check(
        short.length === 0,
        `${short.length} credential(s) shorter than 8 characters: too common to search for`,
      );
    },
  }),
  contractPoint({
    id: 'secrets/webhook-refusals',
    suite,
    title: 'a refused webhook says why without showing the secret (nor in its cause)',
    skipUnless: (subject) =>
      undeclared(subject) ??
      (subject.harness.features?.signedWebhooks === false ? 'the system signs no webhooks' : undefined),
    async run(context) {
      const { request } = await genuineWebhook(context);
      const signatureHeader = credentialHeaderOf(request, context.harness.features);
      const variants: Array<[string, WebhookRequest & { receivedAt?: Date }]> = [
        ['a tampered body', { ...request, body: `${request.body} ` }],
        ['a body that is not JSON', { ...request, body: '{"truncated": ' }],
        ['no headers', { headers: {}, body: request.body }],
        [
          'a tampered signature (or shared secret)',
          signatureHeader === undefined
            ? request
            : { ...request, headers: { ...request.headers, [signatureHeader]: 'sha256=00' } },
        ],
        ['a stale delivery', { ...request, receivedAt: new Date(Date.now() + 3_600_000) }],
      ];
      const problems: string[] = [];
      for (const [what, variant] of variants) {
        try {
          await context.adapter.handleWebhook(variant);
        } catch (error) {
          const leak = secretLeak(error, context.secrets);
          if (leak !== undefined) problems.push(`${what}: ${leak}`);
        }
      }
      check(problems.length === 0, problems.join('\n'));
    },
  }),
];
