// The bot the runtime's configuration names (demo, HTTP, or an LLM agent on the AI SDK), and the
// summarizer that goes with it.

import { createAiSdkBot, createAiSdkSummarizer } from '@handoff/ai-sdk';
import type { BotConnector, BotStateStore, ConversationSummarizer, SkillRouter } from '@handoff/core';
import type { LanguageModel } from 'ai';
import type { Dispatcher } from 'undici';
import type { RuntimeConfig } from '../config/runtime-config.js';
import { createDemoBot } from './demo-bot.js';
import { createHttpBot } from './http-bot.js';
import { loadLanguageModel } from './language-model.js';

export interface ConfiguredBotSettings {
  bot: RuntimeConfig['bot'];
  router: Pick<SkillRouter, 'topics'>;
  state: BotStateStore;
  env: Readonly<Record<string, string | undefined>>;
  dispatcher: Dispatcher | undefined;
  /** The model of an `ai-sdk` bot, instead of loading its provider (tests, embedders with their own). */
  languageModel: LanguageModel | undefined;
}

export interface ConfiguredBot {
  connector: BotConnector;
  /** Present for an `ai-sdk` bot with `summarize` on. */
  summarizer?: ConversationSummarizer;
}

export async function createConfiguredBot(settings: ConfiguredBotSettings): Promise<ConfiguredBot> {
  const { bot } = settings;
  if (bot.type === 'demo') return { connector: createDemoBot({ state: settings.state }) };
  if (bot.type === 'http') {
    return {
      connector: createHttpBot({
        url: bot.url,
        timeoutMs: bot.timeoutMs,
        secret: bot.secret,
        dispatcher: settings.dispatcher,
      }),
    };
  }
  const model = settings.languageModel ?? (await loadLanguageModel(bot, settings.env, settings.dispatcher));
  const connector = createAiSdkBot({
    model,
    ...(bot.system === undefined ? {} : { system: bot.system }),
    handoff: { teams: settings.router.topics.map((topic) => topic.label) },
    ...(bot.promiseCheck ? {} : { promiseCheck: false }),
    state: settings.state,
    timeoutMs: bot.timeoutMs,
  });
  return bot.summarize ? { connector, summarizer: createAiSdkSummarizer({ model }) } : { connector };
}
