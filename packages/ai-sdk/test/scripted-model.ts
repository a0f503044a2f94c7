// Test driver: an AI SDK mock model that answers each call with the next scripted answer (a text,
// or tool calls), and records what it was asked.

import { MockLanguageModelV3 } from 'ai/test';

type LanguageModelV3GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;

export type ScriptedAnswer =
  | { text: string }
  | { calls: Array<{ tool: string; input: unknown }>; text?: string }
  | { error: Error };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

let callCounter = 0;

function resultOf(answer: Exclude<ScriptedAnswer, { error: Error }>): LanguageModelV3GenerateResult {
  if ('calls' in answer) {
    return {
      content: [
        ...(answer.text === undefined ? [] : [{ type: 'text' as const, text: answer.text }]),
        ...answer.calls.map((call) => ({
          type: 'tool-call' as const,
          toolCallId: `call-${++callCounter}`,
          toolName: call.tool,
          input: JSON.stringify(call.input),
        })),
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage,
      warnings: [],
    };
  }
  return {
    content: [{ type: 'text', text: answer.text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage,
    warnings: [],
  };
}

/** A model that gives `answers` in order, one per call; a call beyond them fails the test. */
export function scriptedModel(answers: ScriptedAnswer[]) {
  const queue = [...answers];
  const model = new MockLanguageModelV3({
    doGenerate: async () => {
      const next = queue.shift();
      if (next === undefined) throw new Error('the scripted model was called more often than scripted');
      if ('error' in next) throw next.error;
      return resultOf(next);
    },
  });
  /** The system prompt of call `index`. */
  const systemOf = (index: number) =>
    model.doGenerateCalls[index]?.prompt
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n') ?? '';
  /** The texts of the non-system messages of call `index`, as `role: text`. */
  const conversationOf = (index: number) =>
    (model.doGenerateCalls[index]?.prompt ?? [])
      .filter((message) => message.role !== 'system')
      .flatMap((message) =>
        (message.content as Array<{ type: string; text?: string; toolName?: string }>).map((part) =>
          part.type === 'text'
            ? `${message.role}: ${part.text}`
            : `${message.role}: ${part.type} ${part.toolName}`,
        ),
      );
  return { model, systemOf, conversationOf, remaining: () => queue.length };
}
