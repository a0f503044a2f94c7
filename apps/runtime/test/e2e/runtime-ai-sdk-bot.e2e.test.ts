// The runtime with an LLM agent (`bot.type: ai-sdk`) on a mock model: the model hands off by the
// tool, the agents' note opens with the summary, and the model is told the human part on return.
// Then the provider wiring: a clear error for a missing key, and an OpenAI-compatible server on
// 127.0.0.1 reached with the key from the environment.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '@handoff/core';
import { MockLanguageModelV3 } from 'ai/test';
import { afterEach, describe, expect, it } from 'vitest';
import { runtimeConfigSchema } from '../../src/config/runtime-config.js';
import { createRuntime } from '../../src/runtime.js';
import { eventually, startRuntime } from '../support/runtime-test-kit.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type ModelCall = MockLanguageModelV3['doGenerateCalls'][number];
type ModelAnswer = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;

const usage = {
  inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 1, text: 1, reasoning: undefined },
};
const say = (text: string): ModelAnswer => ({
  content: [{ type: 'text', text }],
  finishReason: { unified: 'stop', raw: 'stop' },
  usage,
  warnings: [],
});
const callTool = (toolName: string, input: unknown): ModelAnswer => ({
  content: [{ type: 'tool-call', toolCallId: `call-${toolName}`, toolName, input: JSON.stringify(input) }],
  finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
  usage,
  warnings: [],
});

const systemOf = (call: ModelCall) =>
  call.prompt.flatMap((message) => (message.role === 'system' ? [message.content] : [])).join('\n');
const lastUserText = (call: ModelCall) => {
  const last = call.prompt.findLast((message) => message.role === 'user');
  return (last?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
};

/**
 * A support assistant model: writes the summary when asked as the summarizer, hands off when the
 * user wants a person, fails on "crash", and otherwise answers.
 */
function supportModel() {
  return new MockLanguageModelV3({
    doGenerate: async (call) => {
      if (systemOf(call).includes('human support agent')) {
        const conversation = JSON.stringify(call.prompt);
        if (conversation.includes('summaries are down')) throw new Error('the provider is down');
        return say('Alice waits for the refund of INV-7.');
      }
      const text = lastUserText(call);
      if (text === 'crash') throw new Error('the provider is down');
      if (text.includes('person'))
        return callTool('handoff', { reason: 'the user asked for a person', team: 'Billing' });
      return say(`Noted: ${text}`);
    },
  });
}

const routing = {
  defaultTeam: { team: '1', label: 'Support' },
  teams: [{ team: '2', label: 'Billing', skills: ['acme.billing.*'] }],
};

async function setup() {
  const model = supportModel();
  const started = await startRuntime(
    {
      bot: { type: 'ai-sdk', provider: 'openai', model: 'gpt-test', system: 'You are the Acme assistant.' },
      routing,
    },
    { languageModel: model },
  );
  cleanups.push(started.close);
  const system = started.runtime.support.memory;
  if (system === undefined) throw new Error('expected the in-process support system');
  return { ...started, model, system };
}

describe('runtime with an AI SDK bot', () => {
  it('hands off by tool call, opens the note with the summary, and gives the model the human part back', async () => {
    const { user, system, model } = await setup();
    const alice = user('web', 'alice');
    expect((await alice.say('my refund for INV-7 is late')).json.replies?.[0]?.text).toBe(
      'Noted: my refund for INV-7 is late',
    );
    const handoff = await alice.say('I want a person');
    expect(handoff.json.mode).toBe('human');
    expect(handoff.json.replies?.map((reply) => reply.text)).toEqual([
      'Connecting you with Billing. A person will answer here shortly.',
    ]);
    // The handoff tool lists the routing topics the model may name.
    const tools = model.doGenerateCalls[0]?.tools ?? [];
    const handoffTool = tools.find((tool) => tool.name === 'handoff');
    expect(handoffTool?.type === 'function' && handoffTool.description).toContain('- Billing');

    const conversation = await eventually(() => {
      const [found] = system.listConversations({ teamId: '2', status: 'open' });
      if (found === undefined) throw new Error('not transferred yet');
      return found;
    });
    const note = conversation.messages.find((message) => message.author === 'note')?.text ?? '';
    expect(note.split('\n')[0]).toBe('Summary: Alice waits for the refund of INV-7.');
    expect(note).toContain('Reason given: the user asked for a person');
    expect(note).toContain('Routing: the bot asked for Billing (team 2)');

    await alice.say('it was 42 euros');
    await eventually(() =>
      expect(system.getConversation(conversation.id)?.messages.map((message) => message.text)).toContain(
        'it was 42 euros',
      ),
    );
    system.reply(conversation.id, { text: 'Refunded 42 euros today.' });
    system.note(conversation.id, { text: 'Refund INV-7 done; arrives in 3 days.' });
    system.resolve(conversation.id);
    await eventually(async () => expect((await alice.session()).json.mode).toBe('bot'));

    const before = model.doGenerateCalls.length;
    expect((await alice.say('when will it arrive?')).json.replies?.[0]?.text).toBe(
      'Noted: when will it arrive?',
    );
    const afterReturn = model.doGenerateCalls.slice(before).map(systemOf).join('\n');
    expect(afterReturn).toContain('You are the Acme assistant.');
    expect(afterReturn).toContain('User: it was 42 euros');
    expect(afterReturn).toMatch(/Agent[^:]*: Refunded 42 euros today\./);
    expect(afterReturn).toContain('Refund INV-7 done; arrives in 3 days.');
  });

  it('hands off without the summary when it fails, and counts it', async () => {
    const { user, system, call } = await setup();
    await user('web', 'dora').say('summaries are down today');
    expect((await user('web', 'dora').say('a person please')).json.mode).toBe('human');
    const note = await eventually(() => {
      const found = system
        .listConversations({ teamId: '2', status: 'open' })[0]
        ?.messages.find((message) => message.author === 'note');
      if (found === undefined) throw new Error('not transferred yet');
      return found.text;
    });
    expect(note.startsWith('Handoff from the bot')).toBe(true);
    expect((await call('GET', '/metrics')).text).toMatch(/^handoff_summary_failures_total 1$/m);
  });

  it('answers 502 bot_failed when the model fails, and records nothing', async () => {
    const { user, runtime } = await setup();
    const response = await user('web', 'bob').say('crash', { id: 'm-crash' });
    expect(response.status).toBe(502);
    expect(response.json.error).toBe('bot_failed');
    const session = await runtime.engine.getSession({ channelId: 'web', userId: 'bob' });
    expect(session?.recentMessageIds ?? []).not.toContain('m-crash');
  });
});

describe('runtime AI SDK bot: providers', () => {
  const configOf = (bot: Record<string, unknown>) =>
    runtimeConfigSchema.parse({
      server: { host: '127.0.0.1', port: 0 },
      storage: { type: 'memory' },
      logging: { level: 'silent' },
      routing,
      bot,
    });

  it('names the environment variable when the key is missing, and never a key', async () => {
    const error = await createRuntime({
      config: configOf({ type: 'ai-sdk', provider: 'anthropic', model: 'claude-test' }),
      env: {},
    }).catch((caught: unknown) => caught);
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    expect((error as ConfigurationError).path).toEqual(['bot', 'apiKeyEnv']);
  });

  it('refuses an openai-compatible provider without baseUrl, naming it', () => {
    const parsed = runtimeConfigSchema.safeParse({
      routing,
      bot: { type: 'ai-sdk', provider: 'openai-compatible', model: 'llama' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain('bot.baseUrl');
  });

  it('reaches an OpenAI-compatible server with the key from the environment, and hands off by its tool call', async () => {
    const requests: Array<{
      url: string | undefined;
      authorization: string | undefined;
      body: { tools?: Array<{ function: { name: string } }> };
    }> = [];
    const server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        requests.push({
          url: request.url,
          authorization: request.headers.authorization,
          body: JSON.parse(raw),
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 1_767_225_600,
            model: 'llama-test',
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: null,
                  tool_calls: [
                    {
                      id: 'call_1',
                      type: 'function',
                      function: { name: 'handoff', arguments: JSON.stringify({ reason: 'needs a person' }) },
                    },
                  ],
                },
                finish_reason: 'tool_calls',
              },
            ],
            usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const started = await startRuntime(
      {
        bot: {
          type: 'ai-sdk',
          provider: 'openai-compatible',
          model: 'llama-test',
          baseUrl,
          apiKeyEnv: 'LLM_KEY',
          summarize: false,
        },
        routing,
      },
      { env: { LLM_KEY: 'local-key-0123456789' } },
    );
    cleanups.push(started.close);
    const turn = await started.user('web', 'carol').say('hello');
    expect(turn.json.mode).toBe('human');
    expect(requests[0]).toMatchObject({
      url: '/v1/chat/completions',
      authorization: 'Bearer local-key-0123456789',
    });
    expect(requests[0]?.body.tools?.map((tool) => tool.function.name)).toEqual(['handoff']);
  });
});
