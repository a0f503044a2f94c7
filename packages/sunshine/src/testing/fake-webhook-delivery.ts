import { createWebhookSender } from '@handoff/fake-server';
import { sunshineId } from './fake-ids.js';
import type { FakeConversation } from './fake-records.js';
import { type FakeState, ourIntegration } from './fake-state.js';

/** The spec's non-recoverable answers ("Retry policy"): the target is not called again. */
const nonRecoverable = new Set([400, 401, 403, 404, 406]);

/** Every other refusal is tried again. */
const retriedStatuses = Array.from({ length: 300 }, (_, index) => 300 + index).filter(
  (status) => !nonRecoverable.has(status),
);

/** One event of a delivery (`eventSubSchema` + payload). */
export interface FakeEvent {
  type: string;
  payload: unknown;
}

/**
 * Delivers events to our custom integration's webhook as Sunshine Conversations does (spec
 * EventWebhooks): `{app, webhook, events}` with the webhook's shared secret in `X-API-Key` (no
 * signature), retried on failure (the spec: up to 5 attempts in 15 minutes, on any answer but a 2xx
 * or a non-recoverable 400/401/403/404/406; the fake: 5 attempts, 50 ms apart; a target that does
 * not answer is not retried by the fake, see FIDELITY.md).
 */
export function createWebhookDelivery(state: FakeState, settings: { batch?: boolean } = {}) {
  const sender = createWebhookSender({
    headersFor: () => ({
      'content-type': 'application/json',
      'x-api-key': state.webhookSecret,
      'user-agent': 'Zendesk-Sunshine-Conversations-Webhooks',
    }),
    url: () => state.webhookUrl,
    timeoutMs: 20_000,
    retry: { attempts: 5, delayMs: 50, statuses: retriedStatuses },
  });
  const send = (events: readonly unknown[]) => {
    if (events.length === 0) return;
    sender.emit({ app: { id: state.appId }, webhook: { id: state.webhookId, version: 'v2' }, events });
  };
  let pending: unknown[] = [];
  /** Sends the events batched so far in one delivery. */
  const flush = () => {
    const events = pending;
    pending = [];
    send(events);
  };
  return {
    sender,
    /**
     * Sends events in one delivery, each with its own id and time. Batching, the events of one
     * turn of the event loop (several conversations' included) share a delivery, as the spec
     * allows ("an array of events, which may or may not originate from the same user or conversation").
     */
    emit(events: readonly FakeEvent[]) {
      const createdAt = new Date().toISOString();
      const built = events.map((event) => ({
        id: sunshineId(),
        type: event.type,
        createdAt,
        payload: event.payload,
      }));
      if (settings.batch !== true) return send(built);
      if (pending.length === 0) queueMicrotask(flush);
      pending.push(...built);
    },
    /** Resolves once every event emitted so far was delivered. */
    idle() {
      flush();
      return sender.idle();
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;

/**
 * Whether a conversation's message and typing events reach our webhook: while our switchboard
 * integration is active, or on standby with `deliverStandbyEvents` (switchboard guide). A
 * conversation nobody holds goes to the default integration (the Agent Workspace), so ours is on standby.
 */
export function reachesUs(state: FakeState, conversation: FakeConversation): boolean {
  const ours = ourIntegration(state);
  return conversation.activeSwitchboardIntegrationId === ours.id || ours.deliverStandbyEvents;
}
