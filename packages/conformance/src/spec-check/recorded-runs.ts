// A spec check reads every request of a whole conformance run, once per mode: the run is made
// the first time a test asks for it, and every fake it started is watched for its webhooks.
import type { WebhookRequest } from '@handoff/core';

/** What a fake must offer to be watched: its webhooks as the receiver gets them. */
export interface WatchedFake {
  onWebhook(listener: (delivery: WebhookRequest) => void): unknown;
}

/** The fakes a run started, in order, and every webhook they sent. */
export interface RecordedRun<Fake> {
  fakes: Fake[];
  webhooks: WebhookRequest[];
}

/**
 * The runs of each mode, made at most once: `runs[mode](watch)` runs the kit with harnesses that
 * pass their fake to `watch`.
 */
export function recordedRuns<Mode extends string, Fake extends WatchedFake>(
  runs: Record<Mode, (watch: (fake: Fake) => void) => Promise<unknown>>,
): (mode: Mode) => Promise<RecordedRun<Fake>> {
  const made = new Map<Mode, Promise<RecordedRun<Fake>>>();
  return (mode) => {
    let run = made.get(mode);
    if (run === undefined) {
      run = (async () => {
        const recorded: RecordedRun<Fake> = { fakes: [], webhooks: [] };
        await runs[mode]((fake) => {
          fake.onWebhook((delivery) => {
            recorded.webhooks.push(delivery);
          });
          recorded.fakes.push(fake);
        });
        return recorded;
      })();
      made.set(mode, run);
    }
    return run;
  };
}
