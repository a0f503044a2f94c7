import type { WebhookRequest } from '@handoff/core';

export interface WebhookRecorderSettings {
  /** Subscribes to every delivery the system sends; returns the unsubscribe. */
  subscribe: (listener: (request: WebhookRequest) => void) => () => void;
  /** Resolves once everything the system emitted so far was delivered. */
  idle: () => Promise<void>;
}

/**
 * What a conformance harness needs of a system's webhooks: the deliveries an action caused, and
 * everything else since the last look.
 */
export function createWebhookRecorder(settings: WebhookRecorderSettings) {
  const recorded: WebhookRequest[] = [];
  const unclaimed: WebhookRequest[] = [];
  const unsubscribe = settings.subscribe((delivery) => {
    recorded.push(delivery);
  });
  return {
    /** Runs an action and returns exactly the deliveries it caused (earlier ones stay for `take`). */
    async during(action: () => Promise<unknown>): Promise<WebhookRequest[]> {
      await settings.idle();
      unclaimed.push(...recorded.splice(0));
      await action();
      await settings.idle();
      return recorded.splice(0);
    },
    /** Every delivery not yet handed out. */
    async take(): Promise<WebhookRequest[]> {
      await settings.idle();
      return [...unclaimed.splice(0), ...recorded.splice(0)];
    },
    stop: unsubscribe,
  };
}

export type WebhookRecorder = ReturnType<typeof createWebhookRecorder>;
