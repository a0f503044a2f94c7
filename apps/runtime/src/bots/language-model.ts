// The language model of a `bot.type: ai-sdk`: the provider's package loaded where it is installed,
// its key read from the environment, its requests sent through the runtime's dispatcher.

import { ConfigurationError } from '@handoff/core';
import type { LanguageModel } from 'ai';
import { type Dispatcher, fetch as undiciFetch } from 'undici';
import type { RuntimeConfig } from '../config/runtime-config.js';

export type AiSdkBotConfig = Extract<RuntimeConfig['bot'], { type: 'ai-sdk' }>;

interface ProviderSettings {
  apiKey: string;
  baseURL?: string;
  fetch: typeof globalThis.fetch;
}

type ProviderFactory = (settings: ProviderSettings) => ((modelId: string) => LanguageModel) & {
  chat?: (modelId: string) => LanguageModel;
};

/** Each provider's package (an optional dependency), its factory, and the usual key variable. */
const providers: Record<
  AiSdkBotConfig['provider'],
  { packageName: string; factory: string; apiKeyEnv: string }
> = {
  openai: { packageName: '@ai-sdk/openai', factory: 'createOpenAI', apiKeyEnv: 'OPENAI_API_KEY' },
  'openai-compatible': {
    packageName: '@ai-sdk/openai',
    factory: 'createOpenAI',
    apiKeyEnv: 'OPENAI_API_KEY',
  },
  anthropic: { packageName: '@ai-sdk/anthropic', factory: 'createAnthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' },
  google: {
    packageName: '@ai-sdk/google',
    factory: 'createGoogleGenerativeAI',
    apiKeyEnv: 'GOOGLE_GENERATIVE_AI_API_KEY',
  },
};

/** The major of the providers' packages that goes with the AI SDK the runtime uses (ai 6). */
const providerMajor = 3;

/** Loads a package by name; a variable specifier, so an optional package is not resolved at build time. */
export type ImportPackage = (name: string) => Promise<Record<string, unknown>>;

const importPackage: ImportPackage = (name) => import(name) as Promise<Record<string, unknown>>;

/** The provider's package, or a ConfigurationError saying which one to install. */
async function loadFactory(bot: AiSdkBotConfig, load: ImportPackage): Promise<ProviderFactory> {
  const provider = providers[bot.provider];
  let loaded: Record<string, unknown>;
  try {
    loaded = await load(provider.packageName);
  } catch (error) {
    // Node says ERR_MODULE_NOT_FOUND; bundlers and test runners word it their own way.
    const missing =
      (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ||
      /Cannot find (?:package|module)|Could not resolve/.test((error as Error).message);
    throw new ConfigurationError([
      {
        path: ['bot', 'provider'],
        message: missing
          ? `provider ${bot.provider} needs the package ${provider.packageName}, which is not installed (an optional dependency, left out by the install): run \`pnpm --filter @handoff/runtime add ${provider.packageName}@${providerMajor}\``
          : `the package ${provider.packageName} could not be loaded (${(error as Error).message})`,
      },
    ]);
  }
  const factory = loaded[provider.factory];
  if (typeof factory !== 'function') {
    throw new ConfigurationError([
      {
        path: ['bot', 'provider'],
        message: `the installed ${provider.packageName} has no ${provider.factory}: install version ${providerMajor}`,
      },
    ]);
  }
  return factory as ProviderFactory;
}

/** The key variable a bot reads: its own `apiKeyEnv`, or the provider's usual one. */
function apiKeyEnvOf(bot: AiSdkBotConfig): string {
  return bot.apiKeyEnv ?? providers[bot.provider].apiKeyEnv;
}

/**
 * The model a `bot.type: ai-sdk` names. Fails with a ConfigurationError naming what is missing:
 * the provider's package, or the environment variable with the key (never the key itself).
 */
export async function loadLanguageModel(
  bot: AiSdkBotConfig,
  env: Readonly<Record<string, string | undefined>>,
  dispatcher: Dispatcher | undefined,
  load: ImportPackage = importPackage,
): Promise<LanguageModel> {
  const keyVariable = apiKeyEnvOf(bot);
  const apiKey = env[keyVariable];
  if (apiKey === undefined || apiKey.trim() === '') {
    throw new ConfigurationError([
      {
        path: ['bot', 'apiKeyEnv'],
        message: `the ${bot.provider} API key is read from the environment variable ${keyVariable}, which is not set`,
      },
    ]);
  }
  const factory = await loadFactory(bot, load);
  const fetch = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, {
      ...init,
      ...(dispatcher === undefined ? {} : { dispatcher }),
    })) as unknown as typeof globalThis.fetch;
  const provider = factory({ apiKey, fetch, ...(bot.baseUrl === undefined ? {} : { baseURL: bot.baseUrl }) });
  // OpenAI-compatible servers speak chat completions; OpenAI itself gets its default API.
  if (bot.provider === 'openai-compatible' && provider.chat !== undefined) return provider.chat(bot.model);
  return provider(bot.model);
}
