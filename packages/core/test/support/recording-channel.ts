// Test driver: a channel sink that records what it is given and can fail on demand.

import type { ChannelDelivery, ChannelSink, ChannelTyping } from '../../src/contract/channel-sink.js';

/** A channel sink that records what it is given, and can fail the next deliveries. */
export function createRecordingChannel() {
  const deliveries: ChannelDelivery[] = [];
  const typings: ChannelTyping[] = [];
  const failures: unknown[] = [];
  const channel: ChannelSink = {
    async deliver(delivery) {
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      deliveries.push(structuredClone(delivery));
    },
    typing(typing) {
      typings.push(typing);
    },
  };
  return {
    channel,
    deliveries,
    typings,
    texts: () => deliveries.map((delivery) => delivery.message.text),
    failNext: (...errors: unknown[]) => failures.push(...errors),
  };
}
