import { createEventStreamParser, type ServerSentEvent } from './event-stream-parser.js';

export interface EventStreamOptions {
  token: string;
  /** The URL for a (re)connection: it should carry what was seen last (`?after=`). */
  url: () => string;
  onEvent: (event: ServerSentEvent) => void;
  onStateChange?: (connected: boolean) => void;
}

/**
 * A server-sent event stream read with fetch (EventSource cannot send the bearer token), that
 * reconnects with backoff, each time from the URL the page gives (so nothing is missed).
 */
export function openEventStream(options: EventStreamOptions): { close(): void } {
  const controller = new AbortController();
  let delayMs = 500;
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(options.url(), {
          headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
        options.onStateChange?.(true);
        delayMs = 500;
        const parser = createEventStreamParser(options.onEvent);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      options.onStateChange?.(false);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 10_000);
    }
  };
  void run();
  return { close: () => controller.abort() };
}
