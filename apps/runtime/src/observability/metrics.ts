import type { BotHostTelemetryEvent, EngineTelemetryEvent, Outbox } from '@handoff/core';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** A field path as a metric label: array indexes folded (`attachments[3].data_url` → `attachments[].data_url`). */
const fieldLabel = (field: string) => field.replace(/\[\d+\]/g, '[]');

/** The runtime's Prometheus metrics, fed by engine telemetry and the HTTP routes. */
export function createMetrics(settings: { outbox: Outbox; connections: () => number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'handoff_process_' });
  const counter = <Label extends string>(name: string, help: string, labelNames: Label[]) =>
    new Counter({ name, help, labelNames, registers: [registry] });

  const handoffs = counter('handoff_handoffs_total', 'Handoffs requested, by team and routing rule', [
    'team',
    'rule',
    'bot',
  ]);
  const transfers = counter('handoff_transfers_total', 'Conversations transferred to a team', [
    'team',
    'bot',
  ]);
  const unavailable = counter(
    'handoff_handoffs_unavailable_total',
    'Handoffs asked for while nobody of the team could answer, by team and reason',
    ['team', 'reason', 'bot'],
  );
  const availabilityFailures = counter(
    'handoff_availability_failures_total',
    'Availability questions that failed (the handoff went ahead)',
    ['bot'],
  );
  const summaryFailures = counter(
    'handoff_summary_failures_total',
    'Summaries for the context note that failed or took too long (the handoff went ahead without one)',
    ['bot'],
  );
  const failedHandoffs = counter('handoff_handoffs_failed_total', 'Handoffs that could not be made', ['bot']);
  const returned = counter('handoff_sessions_returned_total', 'Sessions given back to the bot, by reason', [
    'reason',
    'bot',
  ]);
  const relayed = counter('handoff_messages_relayed_total', 'Messages relayed, by direction', [
    'direction',
    'bot',
  ]);
  const retries = counter(
    'handoff_delivery_retries_total',
    'Delivery attempts that failed and will be retried',
    ['kind', 'bot'],
  );
  const parked = counter('handoff_deliveries_parked_total', 'Deliveries parked for good, by kind', [
    'kind',
    'bot',
  ]);
  const unreported = counter(
    'handoff_deliveries_unreported_total',
    'Parked deliveries nobody could be told about (the session or the support conversation is gone), by kind and reason',
    ['kind', 'reason', 'bot'],
  );
  const webhooks = counter('handoff_webhooks_total', 'Support webhooks accepted', ['instance']);
  const rejections = counter('handoff_webhook_rejections_total', 'Support webhooks refused, by reason', [
    'instance',
    'reason',
  ]);
  const unmatched = counter('handoff_events_unmatched_total', 'Support events for no current session', [
    'type',
    'bot',
  ]);
  const unreadable = counter(
    'handoff_webhook_unreadable_total',
    'Parts of support webhooks (or of what catching up read) the adapter could not read, by provider and field',
    ['provider', 'field'],
  );
  const caughtUp = counter('handoff_catch_up_events_total', 'Support events read back by catching up', []);
  const catchUpFailures = counter(
    'handoff_catch_up_failures_total',
    'Conversations that could not be read back',
    [],
  );

  const agentBotTurns = counter(
    'handoff_agent_bot_turns_total',
    'Agent-bot (internal mode) outcomes: answered, silent (a human holds it), withheld (a human took it meanwhile), handed_off, returned, bot_failed',
    ['outcome'],
  );

  const outboxGauge = new Gauge({
    name: 'handoff_outbox_items',
    help: 'Deliveries in the outbox, by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await settings.outbox.counts();
      this.set({ state: 'pending' }, counts.pending);
      this.set({ state: 'scheduled' }, counts.scheduled);
      this.set({ state: 'in_flight' }, counts.inFlight);
      this.set({ state: 'parked' }, counts.parked);
    },
  });
  const streams = new Gauge({
    name: 'handoff_event_streams',
    help: 'Open server-sent event streams',
    registers: [registry],
    collect() {
      this.set(settings.connections());
    },
  });
  void outboxGauge;
  void streams;

  return {
    registry,
    /** Counts an engine event; a registry chatbot's series carry its id as `bot`. */
    onTelemetry(event: EngineTelemetryEvent, bot?: string) {
      const of = bot === undefined ? {} : { bot };
      switch (event.type) {
        case 'handoff.requested':
          handoffs.inc({ team: event.team ?? 'ask', rule: event.rule, ...of });
          break;
        case 'handoff.transferred':
          transfers.inc({ team: event.team, ...of });
          break;
        case 'handoff.failed':
          failedHandoffs.inc(of);
          break;
        case 'handoff.unavailable':
          unavailable.inc({ team: event.team, reason: event.reason, ...of });
          break;
        case 'availability.failed':
          availabilityFailures.inc(of);
          break;
        case 'summary.failed':
          summaryFailures.inc(of);
          break;
        case 'session.returned':
          returned.inc({ reason: event.reason, ...of });
          break;
        case 'message.relayed':
          relayed.inc({ direction: event.direction, ...of }, event.count);
          break;
        case 'delivery.retry':
          retries.inc({ kind: event.kind, ...of });
          break;
        case 'delivery.parked':
          parked.inc({ kind: event.kind, ...of });
          break;
        case 'delivery.unreported':
          unreported.inc({ kind: event.kind, reason: event.reason, ...of });
          break;
        case 'event.unmatched':
          unmatched.inc({ type: event.eventType, ...of });
          break;
        case 'catch-up.failed':
          catchUpFailures.inc();
          break;
        case 'webhook.unreadable':
          unreadable.inc({ provider: event.provider, field: fieldLabel(event.field) });
          break;
        case 'delivery.stale':
          break;
      }
    },
    onAgentBotTelemetry(event: BotHostTelemetryEvent) {
      switch (event.type) {
        case 'host.answered':
          agentBotTurns.inc({ outcome: 'answered' });
          break;
        case 'host.silent':
          agentBotTurns.inc({ outcome: 'silent' });
          break;
        case 'host.reply-withheld':
          agentBotTurns.inc({ outcome: 'withheld' });
          break;
        case 'host.handed-off':
          agentBotTurns.inc({ outcome: 'handed_off' });
          transfers.inc({ team: event.team });
          break;
        case 'host.returned':
          agentBotTurns.inc({ outcome: 'returned' });
          break;
        case 'host.bot-failed':
          agentBotTurns.inc({ outcome: 'bot_failed' });
          break;
        case 'delivery.retry':
          retries.inc({ kind: event.kind });
          break;
        case 'delivery.parked':
          parked.inc({ kind: event.kind });
          break;
        case 'webhook.unreadable':
          unreadable.inc({ provider: event.provider, field: fieldLabel(event.field) });
          break;
      }
    },
    webhookAccepted: (instance: string) => webhooks.inc({ instance }),
    caughtUp: (events: number) => caughtUp.inc(events),
    webhookRejected: (instance: string, reason: string) => rejections.inc({ instance, reason }),
  };
}

export type RuntimeMetrics = ReturnType<typeof createMetrics>;
