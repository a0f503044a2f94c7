import { createHttpClient, type FormData, readJsonAnswer } from '@handoff/http';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { chatwootError } from './chatwoot-errors.js';
import type { ResolvedChatwootSettings } from './chatwoot-settings.js';

/**
 * Which token a call uses. `user`: contacts, teams and other calls agent bots may not make.
 * `conversation`: the agent bot's token when one is configured (bot turns, bot handoff without
 * self-assignment), the user token otherwise.
 */
export type ChatwootTokenUse = 'user' | 'conversation';

export interface ChatwootCallOptions<Schema extends z.ZodType> {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** Path below `/api/v1/accounts/{accountId}`, or below `/api/v1` with `outsideAccount` (the profile). */
  path: string;
  outsideAccount?: boolean;
  token: ChatwootTokenUse;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
  schema: Schema;
  signal?: AbortSignal | undefined;
}

/** Application API calls with the right token, Chatwoot's error mapping and minimal answer parsing. */
export function createChatwootClient(
  settings: Pick<
    ResolvedChatwootSettings,
    'baseUrl' | 'accountId' | 'requestTimeoutMs' | 'tokenHeader' | 'rateLimitBackoffMs'
  > & {
    /** The token of `user` calls (with no user token, bot-only clients pass the bot's). */
    userToken: string;
    agentBotToken?: string | undefined;
    dispatcher?: Dispatcher | undefined;
  },
) {
  const http = createHttpClient({
    provider: 'chatwoot',
    baseUrl: settings.baseUrl,
    timeoutMs: settings.requestTimeoutMs,
    ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
  });
  const accountPath = `/api/v1/accounts/${settings.accountId}`;
  const tokenFor = (use: ChatwootTokenUse) =>
    use === 'conversation' && settings.agentBotToken !== undefined
      ? settings.agentBotToken
      : settings.userToken;

  return {
    /** True when conversation calls go out with the agent bot's token. */
    usesBotToken: settings.agentBotToken !== undefined,
    http,
    async call<Schema extends z.ZodType>(options: ChatwootCallOptions<Schema>): Promise<z.output<Schema>> {
      const context = { provider: 'chatwoot', operation: options.operation };
      const response = await http.send({
        operation: options.operation,
        method: options.method,
        path: `${options.outsideAccount ? '/api/v1' : accountPath}${options.path}`,
        headers: { [settings.tokenHeader]: tokenFor(options.token) },
        signal: options.signal,
        ...(options.query === undefined ? {} : { query: options.query }),
        ...(options.json === undefined ? {} : { json: options.json }),
        ...(options.form === undefined ? {} : { form: options.form }),
      });
      if (response.status < 200 || response.status >= 300) {
        throw chatwootError(context, response, settings);
      }
      return readJsonAnswer(context, response.text, options.schema);
    },
  };
}

export type ChatwootClient = ReturnType<typeof createChatwootClient>;
