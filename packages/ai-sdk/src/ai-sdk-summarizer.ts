// A summarizer on the Vercel AI SDK: the short summary the agents' context note opens with.

import type { CallOptions, ConversationSummarizer, SummaryRequest } from '@handoff/core';
import { type CallSettings, generateText, type LanguageModel } from 'ai';
import { textWithFileNames } from './message-text.js';

export interface AiSdkSummarizerSettings {
  /** The language model; a small, fast one does (the summary is asked while the handoff waits). */
  model: LanguageModel;
  /** Replaces the default instructions (two or three sentences for the agent taking over). */
  instructions?: string;
  /** Passed to the model call. Default: at most 200 output tokens, no retry. */
  callSettings?: Pick<CallSettings, 'temperature' | 'maxOutputTokens' | 'maxRetries' | 'headers'>;
}

const defaultInstructions =
  'You write the note a human support agent reads before taking over a conversation from a chatbot. In two or three short sentences, say what the user wants, what the bot already did or found out, and what is left to do. Plain text, no greeting, no lists, no guesses beyond the conversation.';

const authors = { user: 'User', bot: 'Bot', note: 'Note' } as const;

/** The conversation as the model reads it. */
function conversationText(request: SummaryRequest): string {
  const lines = request.messages.map(
    (message) => `${authors[message.author]}: ${textWithFileNames(message.text, message.attachments)}`,
  );
  if (request.reason !== undefined) lines.push(`(The bot handed off because: ${request.reason})`);
  if (request.unfinishedSkills.length > 0)
    lines.push(`(Unfinished tasks: ${request.unfinishedSkills.join(', ')})`);
  return lines.join('\n');
}

/** A `ConversationSummarizer` that asks an AI SDK model; the engine bounds its time and length. */
export function createAiSdkSummarizer(settings: AiSdkSummarizerSettings): ConversationSummarizer {
  return {
    async summarize(request: SummaryRequest, options: CallOptions): Promise<string> {
      const result = await generateText({
        model: settings.model,
        system: settings.instructions ?? defaultInstructions,
        prompt: conversationText(request),
        maxOutputTokens: 200,
        maxRetries: 0,
        ...settings.callSettings,
        ...(options.signal === undefined ? {} : { abortSignal: options.signal }),
      });
      return result.text.trim();
    },
  };
}
