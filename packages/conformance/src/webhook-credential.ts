// Which header of a webhook carries its proof of origin: the signature, or the shared secret of
// systems that sign nothing (Sunshine Conversations, Rocket.Chat).

import type { WebhookRequest } from '@handoff/core';

interface CredentialFeatures {
  signedWebhooks?: boolean;
  sharedSecretHeader?: string;
}

/** The skip reason of points that need a body signature, when the system sends a shared secret instead. */
export function sharedSecretReason(features: CredentialFeatures | undefined): string | undefined {
  const header = features?.sharedSecretHeader;
  return header === undefined
    ? undefined
    : `webhooks carry a shared secret (${header}), not a signature: a changed body or a stale delivery cannot be told from a genuine one`;
}

/** The name, as the request spells it, of the header with the signature or the shared secret. */
export function credentialHeaderOf(
  request: WebhookRequest,
  features: CredentialFeatures | undefined,
): string | undefined {
  const shared = features?.sharedSecretHeader?.toLowerCase();
  return Object.keys(request.headers).find((name) =>
    shared === undefined ? /signature/i.test(name) : name.toLowerCase() === shared,
  );
}

/** The request without its signature or shared secret. */
export function withoutCredential(
  request: WebhookRequest,
  features: CredentialFeatures | undefined,
): WebhookRequest {
  const header = credentialHeaderOf(request, features);
  return {
    ...request,
    headers: Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== header)),
  };
}
