// The summary the agents' context note opens with: written from the bot conversation when a
// summarizer is configured, kept through the topic question, and never a reason for a handoff to fail.

import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummarizer, SummaryRequest } from '../src/contract/conversation-summarizer.js';
import { setupEngine as setup, stopTestEngines } from './support/engine-test-setup.js';

afterEach(stopTestEngines);

function recordingSummarizer(answer: (request: SummaryRequest) => Promise<string>) {
  const requests: SummaryRequest[] = [];
  const summarizer: ConversationSummarizer = {
    summarize: async (request) => {
      requests.push(structuredClone(request) as SummaryRequest);
      return answer(request);
    },
  };
  return { summarizer, requests };
}

describe('handoff summary', () => {
  it('opens the context note with the summary, and the routing facts follow', async () => {
    const { summarizer, requests } = recordingSummarizer(async () => 'Wants a refund for order A-17.');
    const { engine, support, say } = setup({ engine: { summary: { summarizer } } });
    await say('refund A-17', 'm1');
    await say('human', 'm2');
    await engine.drain();

    const note = support.callsOf('transfer')[0]?.options.note ?? '';
    expect(note.split('\n')[0]).toBe('Summary: Wants a refund for order A-17.');
    expect(note).toContain('Matched skill: me.test.shop.Refund');
    expect(note).toContain('Unfinished skills: me.test.shop.Refund (order: A-17)');
    expect(note).toContain('Reason given: the user asked for a human');
    // Written from the whole bot conversation, this turn included, with the routing facts.
    expect(requests).toHaveLength(1);
    expect(requests[0]?.messages.map((message) => `${message.author}: ${message.text}`)).toEqual([
      'user: refund A-17',
      'bot: Looking at that order.',
      'user: human',
      'bot: Let me find a person.',
    ]);
    expect(requests[0]).toMatchObject({
      unfinishedSkills: ['me.test.shop.Refund'],
      reason: 'the user asked for a human',
    });
  });

  it('asks for no summary on turns that do not hand off', async () => {
    const { summarizer, requests } = recordingSummarizer(async () => 'unused');
    const { say } = setup({ engine: { summary: { summarizer } } });
    await say('hello');
    await say('refund');
    expect(requests).toEqual([]);
  });

  it('keeps the summary while the user chooses a topic', async () => {
    const { summarizer } = recordingSummarizer(async () => 'Asked about an order.');
    const { engine, support, say } = setup({ ask: true, engine: { summary: { summarizer } } });
    await say('human', 'm1');
    await say('Orders', 'm2');
    await engine.drain();
    const note = support.callsOf('transfer')[0]?.options.note ?? '';
    expect(note.startsWith('Summary: Asked about an order.\n')).toBe(true);
    expect(note).toContain('the user chose the topic Orders');
  });

  it('summarizes a handoff the host asks for outside a bot turn', async () => {
    const { summarizer } = recordingSummarizer(async () => 'Refund question.');
    const { engine, support, say, user } = setup({ engine: { summary: { summarizer } } });
    await say('refund');
    await engine.requestHandoff({ ...user, reason: 'sentiment dropped' });
    await engine.drain();
    expect(support.callsOf('transfer')[0]?.options.note).toMatch(/^Summary: Refund question\.\n/);
  });

  it('hands off without a summary when the summarizer fails, and says so in telemetry', async () => {
    const { summarizer } = recordingSummarizer(async () => {
      throw new Error('model down: secret-looking text');
    });
    const { engine, support, say, telemetry } = setup({ engine: { summary: { summarizer } } });
    const turn = await say('human');
    await engine.drain();
    expect(turn.mode).toBe('human');
    const note = support.callsOf('transfer')[0]?.options.note ?? '';
    expect(note.startsWith('Handoff from the bot')).toBe(true);
    expect(note).not.toContain('Summary:');
    const failed = telemetry.filter((event) => event.type === 'summary.failed');
    expect(failed).toEqual([{ type: 'summary.failed', key: expect.any(String), error: 'Error' }]);
  });

  it('does not wait longer than its timeout for a summary', async () => {
    const { summarizer } = recordingSummarizer(() => new Promise<string>(() => {}));
    const { engine, support, say, telemetry } = setup({
      engine: { summary: { summarizer, timeoutMs: 20 } },
    });
    const turn = await say('human');
    await engine.drain();
    expect(turn.mode).toBe('human');
    expect(support.callsOf('transfer')[0]?.options.note).not.toContain('Summary:');
    expect(telemetry).toContainEqual(expect.objectContaining({ type: 'summary.failed', error: 'timed out' }));
  });

  it('cuts a summary longer than 1,000 characters', async () => {
    const { summarizer } = recordingSummarizer(async () => 'x'.repeat(5_000));
    const { engine, support, say } = setup({ engine: { summary: { summarizer } } });
    await say('human');
    await engine.drain();
    const first = (support.callsOf('transfer')[0]?.options.note ?? '').split('\n')[0] ?? '';
    expect(first.length).toBe('Summary: '.length + 1_000);
    expect(first.endsWith('…')).toBe(true);
  });
});
