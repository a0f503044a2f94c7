import { createHash } from 'node:crypto';
import { type ReplayGuard, type UnreadablePart, WebhookVerificationError } from '@handoff/core';
import {
  type HeaderBag,
  parseWebhookJson,
  readHeader,
  refuseReplayedDelivery,
  timingSafeEqualText,
} from '@handoff/http';
import { z } from 'zod';

const provider = 'sunshine';

/** The header Sunshine Conversations sends the webhook's shared secret in. */
export const sunshineSecretHeader = 'x-api-key';

/**
 * Sunshine Conversations tries a delivery up to 5 times over 15 minutes; its events are refused
 * again for a day, well past the last attempt.
 */
export const replayWindowSeconds = 24 * 60 * 60;

/** One event of a delivery (`eventSubSchema`): its payload is read per type. */
const eventSchema = z.object({
  id: z.string().min(1),
  type: z.string(),
  createdAt: z.string().nullish(),
  payload: z.unknown().optional(),
});
export type SunshineWebhookEvent = z.infer<typeof eventSchema>;

/** The body of every delivery (`EventWebhooks`): `{app, webhook, events}`. */
const deliverySchema = z.object({
  app: z.object({ id: z.string().nullish() }).nullish(),
  webhook: z.object({ id: z.string().nullish() }).nullish(),
  events: z.array(z.unknown()),
});

/**
 * Checks the shared secret in constant time: missing is `missing_signature`, wrong is
 * `invalid_signature`. Sunshine Conversations signs nothing: the secret is all there is.
 */
export function verifySharedSecret(headers: HeaderBag, secret: string): void {
  const sent = readHeader(headers, sunshineSecretHeader);
  if (sent === undefined || sent === '') {
    throw new WebhookVerificationError({
      reason: 'missing_signature',
      message: `the delivery has no ${sunshineSecretHeader} header (the webhook's shared secret)`,
      provider,
    });
  }
  // Compared over digests: equal lengths, so the time taken says nothing of the secret's length.
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');
  if (!timingSafeEqualText(digest(secret), digest(sent))) {
    throw new WebhookVerificationError({
      reason: 'invalid_signature',
      message: `the ${sunshineSecretHeader} header is not the webhook's shared secret`,
      provider,
    });
  }
}

export interface ParsedDelivery {
  /** The event id when the delivery holds one event, else a digest of its event ids. */
  deliveryId: string | undefined;
  events: SunshineWebhookEvent[];
  unreadable: UnreadablePart[];
}

/** Parses a verified body into its events; a body that is not a delivery is `malformed_body`. */
export function parseDelivery(body: string | Uint8Array): ParsedDelivery {
  const parsed = deliverySchema.safeParse(parseWebhookJson(body, provider));
  if (!parsed.success) {
    throw new WebhookVerificationError({
      reason: 'malformed_body',
      message: 'the body is not a Sunshine Conversations delivery ({app, webhook, events})',
      provider,
    });
  }
  const events: SunshineWebhookEvent[] = [];
  const unreadable: UnreadablePart[] = [];
  for (const [index, candidate] of parsed.data.events.entries()) {
    const event = eventSchema.safeParse(candidate);
    if (event.success) events.push(event.data);
    else unreadable.push({ field: `events[${index}]`, reason: 'not an event with an id and a type' });
  }
  const ids = events.map((event) => event.id);
  const deliveryId =
    ids.length === 0
      ? undefined
      : ids.length === 1
        ? ids[0]
        : `events-${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 32)}`;
  return { deliveryId, events, unreadable };
}

/**
 * Verifies, parses and refuses a replay: the secret first, then the body, then the delivery id
 * (its event ids) through the replay guard. A refused delivery leaves no trace in the guard.
 */
export async function receiveDelivery(options: {
  headers: HeaderBag;
  body: string | Uint8Array;
  secret: string;
  replayGuard: ReplayGuard;
}): Promise<ParsedDelivery> {
  verifySharedSecret(options.headers, options.secret);
  const delivery = parseDelivery(options.body);
  if (delivery.deliveryId !== undefined) {
    await refuseReplayedDelivery(options.replayGuard, {
      provider,
      deliveryId: delivery.deliveryId,
      ttlMs: replayWindowSeconds * 1000,
    });
  }
  return delivery;
}

/** What one event of a delivery gives: events, and the parts that could not be read. */
export interface MappedEvent<Event> {
  events: Event[];
  unreadable: UnreadablePart[];
}

/** The result of an empty mapping, and of a part that could not be read. */
export const noEvents = <Event>(): MappedEvent<Event> => ({ events: [], unreadable: [] });
export const unreadablePayload = <Event>(
  event: SunshineWebhookEvent,
  index: number,
  reason: string,
): MappedEvent<Event> => ({
  events: [],
  unreadable: [{ field: `events[${index}].payload`, reason, eventId: event.id }],
});

/**
 * Maps every event of a delivery, in order, each id once, and gathers what could not be read:
 * the result of `handleWebhook` and `handleBotWebhook`.
 */
export function eventsOfDelivery<Event extends { id: string }>(
  delivery: ParsedDelivery,
  map: (event: SunshineWebhookEvent, index: number) => MappedEvent<Event>,
): { deliveryId?: string; events: Event[]; unreadable?: UnreadablePart[] } {
  const events: Event[] = [];
  const unreadable: UnreadablePart[] = [...delivery.unreadable];
  const seen = new Set<string>();
  for (const [index, event] of delivery.events.entries()) {
    const mapped = map(event, index);
    for (const item of mapped.events) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      events.push(item);
    }
    unreadable.push(...mapped.unreadable);
  }
  return {
    ...(delivery.deliveryId === undefined ? {} : { deliveryId: delivery.deliveryId }),
    events,
    ...(unreadable.length === 0 ? {} : { unreadable }),
  };
}
