import { createInMemoryOutbox } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('metrics of deliveries that cannot be delivered', () => {
  it('counts parked deliveries by kind, and those nobody could be told about by kind and reason', async () => {
    const metrics = createMetrics({ outbox: createInMemoryOutbox(), connections: () => 0 });
    metrics.onTelemetry({ type: 'delivery.parked', kind: 'channel.deliver', id: 'a', reason: 'HTTP 400' });
    metrics.onTelemetry({ type: 'delivery.parked', kind: 'channel.deliver', id: 'b', reason: 'HTTP 400' });
    metrics.onTelemetry({
      type: 'delivery.unreported',
      kind: 'channel.deliver',
      id: 'b',
      reason: 'no_conversation',
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('handoff_deliveries_parked_total{kind="channel.deliver"} 2');
    expect(text).toContain(
      'handoff_deliveries_unreported_total{kind="channel.deliver",reason="no_conversation"} 1',
    );
  });
});
