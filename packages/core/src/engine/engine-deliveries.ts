// How the engine's outbox items are delivered, by kind, and what parking one means for its session.

import type { ChannelSink } from '../contract/channel-sink.js';
import { mayHaveBeenDelivered, type NewOutboxItem, type OutboxItem } from '../contract/outbox.js';
import { PermanentDeliveryFailure } from '../delivery/outbox-worker.js';
import type { KeyedMutex } from '../session/keyed-mutex.js';
import type { SessionUpdater } from '../session/session-updates.js';
import type { EngineOutboxItem } from './engine-outbox-items.js';
import type { EngineTelemetryEvent } from './engine-types.js';
import type { EventApplication } from './event-application.js';
import type { HandoffSteps } from './handoff-steps.js';
import type { SessionTimers } from './session-timers.js';
import type { SupportDeliveries } from './support-deliveries.js';
import type { UndeliveredReports } from './undelivered-reports.js';

export interface EngineDeliveriesSettings {
  channel: Pick<ChannelSink, 'deliver'>;
  supportDeliveries: SupportDeliveries;
  events: EventApplication;
  timers: SessionTimers;
  undelivered: UndeliveredReports;
  steps: Pick<HandoffSteps, 'failHandoff'>;
  updater: SessionUpdater;
  mutex: KeyedMutex;
  telemetry: (event: EngineTelemetryEvent) => void;
}

/** What the outbox worker calls: `deliver`, `onParking` and `onParked` of its settings. */
export interface EngineDeliveries {
  deliver(item: OutboxItem, options: { signal: AbortSignal }): Promise<void>;
  /** Before an item is parked: whoever a message that will not arrive concerns is told. */
  onParking(item: OutboxItem): Promise<void>;
  /** A parked open or transfer means the handoff failed: the bot takes over and the user is told. */
  onParked(item: OutboxItem, reason: string): Promise<void>;
}

export function createEngineDeliveries(settings: EngineDeliveriesSettings): EngineDeliveries {
  const { channel, supportDeliveries, events, timers, undelivered, steps, updater, mutex, telemetry } =
    settings;

  return {
    async deliver(item, { signal }) {
      const engineItem = item as OutboxItem & EngineOutboxItem;
      switch (engineItem.kind) {
        case 'support.open':
          return supportDeliveries.open(engineItem.payload, item, signal);
        case 'support.post':
          // Tried before (an operator may have retried it after its user was told it failed).
          if ((await supportDeliveries.post(engineItem.payload, item, signal)) && mayHaveBeenDelivered(item))
            await undelivered.delivered(item);
          return;
        case 'support.transfer':
          return supportDeliveries.transfer(engineItem.payload, item, signal);
        case 'support.close':
          return supportDeliveries.close(engineItem.payload, signal);
        case 'channel.deliver':
          await channel.deliver(engineItem.payload, { signal });
          if (mayHaveBeenDelivered(item)) await undelivered.delivered(item);
          return;
        case 'support.events':
          return events.applyEvents(engineItem.payload.events, { signal });
        case 'session.wait-timeout':
          return timers.waitTimedOut(engineItem.payload);
        case 'session.release-agent-messages':
          return timers.releaseAgentMessages(engineItem.payload, signal);
        default:
          throw new PermanentDeliveryFailure(`unknown delivery kind ${(item as OutboxItem).kind}`);
      }
    },

    onParking: (item) => undelivered.parking(item),

    async onParked(item, reason) {
      telemetry({ type: 'delivery.parked', kind: item.kind, id: item.id, reason });
      const engineItem = item as OutboxItem & EngineOutboxItem;
      if (engineItem.kind !== 'support.open' && engineItem.kind !== 'support.transfer') return;
      const { key, handoffId } = engineItem.payload;
      await mutex.run(key, () =>
        updater.update<void>(key, (session) => {
          if (session?.conversation?.handoffId !== handoffId) return { skip: undefined };
          const items: NewOutboxItem[] = [];
          steps.failHandoff(session, handoffId, reason, items);
          return { session, items, result: undefined };
        }),
      );
    },
  };
}
