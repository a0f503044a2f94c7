import { PermanentDeliveryFailure } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { type Dispatcher, request } from 'undici';

/** Headers of the runtime's signed callbacks (the same scheme as Chatwoot's and the in-process system's). */
export const callbackHeaders = {
  signature: 'x-handoff-signature',
  timestamp: 'x-handoff-timestamp',
  delivery: 'x-handoff-delivery',
} as const;

export interface SignedPostOptions {
  url: string;
  secret: string;
  /** Identifies the delivery (stable across retries, for the receiver's de-duplication). */
  deliveryId: string;
  body: unknown;
  timeoutMs?: number;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * POSTs JSON signed with `sha256=HMAC(secret, "<timestamp>.<body>")`. A 2xx is delivered; a 408,
 * 429, 5xx or network failure throws for a retry; any other answer is a permanent refusal.
 */
export async function postSigned(options: SignedPostOptions): Promise<void> {
  const body = JSON.stringify(options.body);
  const timestamp = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const response = await request(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [callbackHeaders.delivery]: options.deliveryId,
      [callbackHeaders.timestamp]: String(timestamp),
      [callbackHeaders.signature]: signTimestampedBody({ secret: options.secret, timestamp, body }),
    },
    body,
    signal: options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  await response.body.dump();
  const status = response.statusCode;
  if (status >= 200 && status < 300) return;
  const message = `the callback ${new URL(options.url).host} answered HTTP ${status}`;
  if (status === 408 || status === 429 || status >= 500) throw new Error(message);
  throw new PermanentDeliveryFailure(message);
}
