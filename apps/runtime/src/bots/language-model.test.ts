// Loading the model of a `bot.type: ai-sdk`: each provider's package and factory, the key from the
// environment, and a clear error for what is missing.

import { ConfigurationError } from '@handoff/core';
import { describe, expect, it } from 'vitest';
import { runtimeConfigSchema } from '../config/runtime-config.js';
import { type AiSdkBotConfig, loadLanguageModel } from './language-model.js';

const botOf = (bot: Record<string, unknown>) =>
  runtimeConfigSchema.parse({ routing: { defaultTeam: '1' }, bot }).bot as AiSdkBotConfig;

describe('language model of an ai-sdk bot', () => {
  it.each([
    ['openai', 'OPENAI_API_KEY', 'openai.responses'],
    ['anthropic', 'ANTHROPIC_API_KEY', 'anthropic.messages'],
    ['google', 'GOOGLE_GENERATIVE_AI_API_KEY', 'google.generative-ai'],
  ])('builds a %s model with the key from %s', async (provider, variable, providerName) => {
    const model = await loadLanguageModel(
      botOf({ type: 'ai-sdk', provider, model: 'test-model' }),
      { [variable]: 'k-0123456789' },
      undefined,
    );
    expect(typeof model === 'object' && { provider: model.provider, modelId: model.modelId }).toEqual({
      provider: providerName,
      modelId: 'test-model',
    });
  });

  it('speaks chat completions to an openai-compatible server', async () => {
    const model = await loadLanguageModel(
      botOf({
        type: 'ai-sdk',
        provider: 'openai-compatible',
        model: 'llama',
        baseUrl: 'http://127.0.0.1:1/v1',
        apiKeyEnv: 'K',
      }),
      { K: 'k-0123456789' },
      undefined,
    );
    expect(typeof model === 'object' && model.provider).toBe('openai.chat');
  });

  it('names the package to install when the provider is not installed, and never the key', async () => {
    const notFound = Object.assign(new Error("Cannot find package '@ai-sdk/anthropic'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadLanguageModel(
      botOf({ type: 'ai-sdk', provider: 'anthropic', model: 'claude-test', apiKeyEnv: 'MY_KEY' }),
      { MY_KEY: 'sk-ant-test-0123456789' },
      undefined,
      async () => {
        throw notFound;
      },
    ).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).path).toEqual(['bot', 'provider']);
    expect((error as Error).message).toContain(
      'needs the package @ai-sdk/anthropic, which is not installed (an optional dependency, left out by the install): run `pnpm --filter @handoff/runtime add @ai-sdk/anthropic@3`',
    );
    expect((error as Error).message).not.toContain('sk-ant-test');
  });

  it('says when the installed package is not the major that goes with the AI SDK', async () => {
    const error = await loadLanguageModel(
      botOf({ type: 'ai-sdk', provider: 'google', model: 'g' }),
      { GOOGLE_GENERATIVE_AI_API_KEY: 'k-0123456789' },
      undefined,
      async () => ({ somethingElse: () => undefined }),
    ).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('has no createGoogleGenerativeAI: install version 3');
  });
});
