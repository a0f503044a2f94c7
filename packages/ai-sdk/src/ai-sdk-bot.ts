// A Handoff bot connector on the Vercel AI SDK: the model answers with its tools, hands off by
// calling the handoff tool, and is caught when it promises a person without calling it.

import {
  type BotConnector,
  BotError,
  type BotRequest,
  type BotResponse,
  type BotStateStore,
  type CallOptions,
  maxMessageTextLength,
} from '@handoff/core';
import {
  type AssistantModelMessage,
  type CallSettings,
  type GenerateTextResult,
  generateText,
  type LanguageModel,
  type ModelMessage,
  type ProviderMetadata,
  stepCountIs,
  type ToolSet,
} from 'ai';
import { boundTurns, createConversationMemory, createInProcessBotState } from './conversation-memory.js';
import {
  defaultHandoffToolName,
  type HandoffToolInput,
  type HandoffToolSettings,
  handoffTool,
} from './handoff-tool.js';
import { describeHumanPart } from './human-part-context.js';
import { textWithFileNames } from './message-text.js';
import { defaultReminder, type PromiseCheckSettings, promisesHuman } from './promise-check.js';
import { type ToolSkillSettings, unfinishedToolSkills } from './tool-skills.js';

export interface AiSdkBotSettings {
  /** The language model, from any AI SDK provider (`openai('gpt-4.1-mini')`, ...). */
  model: LanguageModel;
  /** The bot's instructions. How to hand off is added to them. */
  system?: string;
  /** The bot's own tools; the handoff tool is added to them. */
  tools?: ToolSet;
  /** The handoff tool: the teams and skills the model may name, and its name (default `handoff`). */
  handoff?: HandoffToolSettings & { toolName?: string };
  /** Which tools stand for which skills (`Organization.Project.Tool`), for routing. */
  skills?: ToolSkillSettings & {
    /** Most unfinished skills a turn reports. Default 5. */
    maxUnfinished?: number;
  };
  /** How a reply promising a person without the tool is caught; false turns the check off. */
  promiseCheck?: PromiseCheckSettings | false;
  /** Where the conversation the model sees is kept between turns. Default: in process memory. */
  state?: BotStateStore;
  /** Most messages of earlier turns the model sees (whole turns). Default 40. */
  maxHistoryMessages?: number;
  /** Most model calls (tool round trips) for one user message. Default 5. */
  maxSteps?: number;
  /** Longest one user message may take, all model calls together. Default 30,000 ms. */
  timeoutMs?: number;
  /** Passed to each model call. */
  callSettings?: Pick<
    CallSettings,
    'temperature' | 'maxOutputTokens' | 'topP' | 'seed' | 'maxRetries' | 'headers'
  > & { providerOptions?: ProviderMetadata };
}

type Result = GenerateTextResult<ToolSet, never>;

/** Tool calls left without a result (a tool without `execute`, or one waiting for approval) get one, so the history stays valid. */
function closeOpenCalls(messages: ModelMessage[]): ModelMessage[] {
  const answered = new Set<string>();
  const calls: Array<{ toolCallId: string; toolName: string }> = [];
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type === 'tool-result') answered.add(part.toolCallId);
      if (part.type === 'tool-call') calls.push({ toolCallId: part.toolCallId, toolName: part.toolName });
    }
  }
  const open = calls.filter((call) => !answered.has(call.toolCallId));
  if (open.length === 0) return messages;
  return [
    ...messages,
    {
      role: 'tool',
      content: open.map((call) => ({
        type: 'tool-result' as const,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: { type: 'error-text' as const, value: 'This tool was not run.' },
      })),
    },
  ];
}

/** Adjacent assistant messages as one (the first answer and the one asked again), as every provider takes them. */
function joinAssistantMessages(messages: ModelMessage[]): ModelMessage[] {
  const joined: ModelMessage[] = [];
  const partsOf = (content: string | Exclude<AssistantModelMessage['content'], string>) =>
    typeof content === 'string' ? [{ type: 'text' as const, text: content }] : content;
  for (const message of messages) {
    const previous = joined.at(-1);
    if (previous?.role === 'assistant' && message.role === 'assistant') {
      joined[joined.length - 1] = {
        ...previous,
        content: [...partsOf(previous.content), ...partsOf(message.content)],
      };
    } else {
      joined.push(message);
    }
  }
  return joined;
}

/** A result's messages without the text of its last assistant message (a reply the user never saw). */
function withoutFinalText(messages: readonly ModelMessage[]): ModelMessage[] {
  const kept = [...messages];
  const last = kept.at(-1);
  if (last?.role !== 'assistant') return kept;
  if (typeof last.content === 'string') return kept.slice(0, -1);
  const parts = last.content.filter((part) => part.type !== 'text');
  return parts.length === 0 ? kept.slice(0, -1) : [...kept.slice(0, -1), { ...last, content: parts }];
}

/** The model's last valid call of the handoff tool in a result, if any. */
function handoffCallOf(result: Result, toolName: string): HandoffToolInput | undefined {
  for (const step of [...result.steps].reverse()) {
    for (const call of [...step.toolCalls].reverse()) {
      if (call.toolName === toolName && call.invalid !== true) return call.input as HandoffToolInput;
    }
  }
  return undefined;
}

function replyText(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > maxMessageTextLength ? trimmed.slice(0, maxMessageTextLength) : trimmed;
}

/**
 * A bot connector that runs an AI SDK model with tools. A call of the handoff tool becomes the
 * handoff request; the tools in progress and the tools mapped to skills become the unfinished
 * skills routing uses; a reply that promises a person without the tool is asked again once, and
 * handed off if it still promises. After a human part, the model is told what happened in it.
 * A model that fails becomes a `bot_failed` BotError.
 */
export function createAiSdkBot(settings: AiSdkBotSettings): BotConnector {
  const toolName = settings.handoff?.toolName ?? defaultHandoffToolName;
  const tools: ToolSet = { ...settings.tools, [toolName]: handoffTool(settings.handoff) };
  const memory = createConversationMemory(settings.state ?? createInProcessBotState());
  const check = settings.promiseCheck === false ? undefined : (settings.promiseCheck ?? {});
  const detect = check?.detect ?? promisesHuman;
  const skillSettings: ToolSkillSettings = {
    ...settings.skills,
    byTool: { ...settings.skills?.byTool, [toolName]: false },
  };
  const baseInstructions = [
    settings.system,
    `When the user asks for a person, or you cannot help, call the \`${toolName}\` tool. Never say you will pass the user to a person without calling it.`,
  ]
    .filter((part) => part !== undefined && part.length > 0)
    .join('\n\n');

  const generate = (system: string, messages: ModelMessage[], signal: AbortSignal) =>
    generateText({
      model: settings.model,
      system,
      messages,
      tools,
      // Stop at a valid handoff call only: one whose input failed the schema goes back to the model to fix.
      stopWhen: [
        stepCountIs(settings.maxSteps ?? 5),
        ({ steps }) =>
          steps.at(-1)?.toolCalls.some((call) => call.toolName === toolName && call.invalid !== true) ??
          false,
      ],
      abortSignal: signal,
      ...settings.callSettings,
    }) as Promise<Result>;

  const answer = async (request: BotRequest, signal: AbortSignal): Promise<BotResponse> => {
    const key = `ai-sdk:${request.session.channelId}:${request.session.userId}`;
    const remembered = await memory.load(key);
    const sameSession = remembered?.sessionId === request.session.sessionId;
    const humanPart =
      request.returned !== undefined
        ? describeHumanPart(request.returned)
        : sameSession
          ? remembered?.humanPart
          : undefined;
    // A message asked again (the engine retries a turn whose session changed meanwhile) replaces its turn.
    const earlier = boundTurns(
      (remembered?.turns ?? []).filter((turn) => turn.messageId !== request.message.id),
      settings.maxHistoryMessages ?? 40,
    );
    const userMessage: ModelMessage = {
      role: 'user',
      content: textWithFileNames(request.message.text, request.message.attachments),
    };
    const history = [...earlier.flatMap((turn) => turn.messages), userMessage];
    const system = humanPart === undefined ? baseInstructions : `${baseInstructions}\n\n${humanPart}`;

    const first = await generate(system, history, signal);
    let text = first.text;
    let turnMessages: ModelMessage[] = [userMessage, ...first.response.messages];
    let handoff = handoffCallOf(first, toolName);
    let fallbackReason: string | undefined;
    if (handoff === undefined && check !== undefined && detect(first.text)) {
      // Asked again with the reminder as the last (user) message: a conversation ending with the
      // assistant's own reply would be taken as a prefill by some providers, refused by others.
      const reminder = check.reminder ?? defaultReminder(toolName);
      const second = await generate(
        system,
        [...history, ...first.response.messages, { role: 'user', content: reminder }],
        signal,
      ).catch(() => undefined);
      if (second === undefined) {
        // The user was promised a person: keep the promise rather than fail the turn.
        fallbackReason = 'the bot promised a person without calling the handoff tool';
      } else {
        handoff = handoffCallOf(second, toolName);
        // The first answer's tool work stays in the history; its promise only when the second wrote nothing.
        const firstWork =
          second.text.trim().length > 0 ? withoutFinalText(first.response.messages) : first.response.messages;
        if (second.text.trim().length > 0) text = second.text;
        turnMessages = [userMessage, ...firstWork, ...second.response.messages];
        if (handoff === undefined && detect(text)) {
          fallbackReason = 'the bot promised a person without calling the handoff tool';
        }
      }
    }
    if (handoff === undefined && fallbackReason === undefined && text.trim().length === 0) {
      // Nothing to say and no handoff (steps used up, a tool without a result): never leave the user in silence.
      fallbackReason = 'the bot gave no answer';
    }
    turnMessages = closeOpenCalls(joinAssistantMessages(turnMessages));

    const sessionTurns = [
      ...earlier.filter((turn) => turn.sessionId === request.session.sessionId),
      { messageId: request.message.id, sessionId: request.session.sessionId, messages: turnMessages },
    ];
    await memory.save(key, {
      sessionId: request.session.sessionId,
      ...(humanPart === undefined ? {} : { humanPart }),
      turns: [
        ...earlier,
        { messageId: request.message.id, sessionId: request.session.sessionId, messages: turnMessages },
      ],
    });

    const unfinishedSkills = unfinishedToolSkills({
      messages: sessionTurns.flatMap((turn) => turn.messages),
      named: handoff?.skills ?? [],
      settings: skillSettings,
      limit: settings.skills?.maxUnfinished ?? 5,
    });
    const reply = replyText(text);
    return {
      replies: reply.length > 0 ? [{ text: reply }] : [],
      unfinishedSkills,
      ...(handoff !== undefined
        ? {
            handoff: {
              reason: handoff.reason.slice(0, 2_000),
              ...(handoff.team === undefined ? {} : { team: handoff.team }),
            },
          }
        : fallbackReason !== undefined
          ? { handoff: { reason: fallbackReason } }
          : {}),
    };
  };

  return {
    async respond(request: BotRequest, options: CallOptions): Promise<BotResponse> {
      const timeout = AbortSignal.timeout(settings.timeoutMs ?? 30_000);
      const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
      try {
        return await answer(request, signal);
      } catch (error) {
        if (BotError.isInstance(error)) throw error;
        const kind = timeout.aborted ? 'timed out' : error instanceof Error ? error.name : 'failed';
        throw new BotError({
          code: 'bot_failed',
          message: `the language model did not answer (${kind})`,
          cause: error,
        });
      }
    },
  };
}
