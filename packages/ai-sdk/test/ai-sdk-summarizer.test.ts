// The AI SDK summarizer: what the model is asked, and what the engine gets back.

import { describe, expect, it } from 'vitest';
import { createAiSdkSummarizer } from '../src/ai-sdk-summarizer.js';
import { scriptedModel } from './scripted-model.js';

const at = new Date(0).toISOString();

describe('AI SDK summarizer', () => {
  it('asks the model with the conversation and the routing facts, and returns its text', async () => {
    const scripted = scriptedModel([{ text: '  Wants a refund for A-17; the refund tool failed.  ' }]);
    const summary = await createAiSdkSummarizer({ model: scripted.model }).summarize(
      {
        messages: [
          { id: '1', author: 'user', text: 'refund A-17', createdAt: at },
          {
            id: '2',
            author: 'bot',
            text: 'Looking.',
            createdAt: at,
            attachments: [{ url: 'https://x.test/a', contentType: 'application/pdf', name: 'a.pdf' }],
          },
        ],
        unfinishedSkills: ['acme.shop.Refund'],
        reason: 'refund needs a person',
      },
      {},
    );
    expect(summary).toBe('Wants a refund for A-17; the refund tool failed.');
    expect(scripted.systemOf(0)).toContain('human support agent');
    expect(scripted.conversationOf(0)).toEqual([
      'user: User: refund A-17\nBot: Looking. [file: a.pdf]\n(The bot handed off because: refund needs a person)\n(Unfinished tasks: acme.shop.Refund)',
    ]);
    expect(scripted.model.doGenerateCalls[0]?.maxOutputTokens).toBe(200);
  });
});
