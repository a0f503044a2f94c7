// The summary a handoff's context note opens with: asked before the write, bounded in time and size,
// and never a reason for a handoff to fail.

import type { ConversationSummarizer, SummaryRequest } from '../contract/conversation-summarizer.js';
import type { EngineTelemetryEvent } from './engine-types.js';

/** Longest summary the note carries; a longer one is cut. */
const maxSummaryCharacters = 1_000;

export interface HandoffSummarySettings {
  summarizer: ConversationSummarizer | undefined;
  /** Longest a summary may take before the handoff goes on without one. */
  timeoutMs: number;
  telemetry: (event: EngineTelemetryEvent) => void;
}

/** Writes the summary for a handoff, or undefined when there is no summarizer, nothing to summarize, or it failed. */
export type HandoffSummary = (
  key: string,
  request: SummaryRequest,
  signal: AbortSignal | undefined,
) => Promise<string | undefined>;

export function createHandoffSummary(settings: HandoffSummarySettings): HandoffSummary {
  return async (key, request, signal) => {
    const summarizer = settings.summarizer;
    if (summarizer === undefined || request.messages.length === 0) return undefined;
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    try {
      const summary = await Promise.race([
        summarizer.summarize(request, { signal: combined }),
        new Promise<never>((_, reject) => {
          const abort = () => reject(combined.reason ?? new Error('the summary was aborted'));
          if (combined.aborted) abort();
          else combined.addEventListener('abort', abort, { once: true });
        }),
      ]);
      const text = typeof summary === 'string' ? summary.trim() : '';
      if (text.length === 0) return undefined;
      return text.length > maxSummaryCharacters ? `${text.slice(0, maxSummaryCharacters - 1)}…` : text;
    } catch (error) {
      settings.telemetry({
        type: 'summary.failed',
        key,
        error: timeout.aborted ? 'timed out' : error instanceof Error ? error.name : 'failed',
      });
      return undefined;
    }
  };
}
