import { type BotConnector, BotError } from '@handoff/core';
import { signTimestampedBody } from '@handoff/http';
import { type Dispatcher, request } from 'undici';
import { callbackHeaders } from '../channels/callback-client.js';

export interface HttpBotSettings {
  url: string;
  timeoutMs: number;
  /** Signs each request like the runtime's callbacks, so the bot can check it comes from here. */
  secret?: string | undefined;
  dispatcher?: Dispatcher | undefined;
}

/**
 * A bot behind an HTTP endpoint. The runtime POSTs `{ session, message, profile?, returned? }`
 * and expects `{ replies: [{ text }], unfinishedSkills?: [...], handoff?: { team?, reason? } }`
 * (validated by the engine; anything else is a `bot_invalid_response`).
 */
export function createHttpBot(settings: HttpBotSettings): BotConnector {
  return {
    async respond(botRequest, options) {
      const body = JSON.stringify(botRequest);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (settings.secret !== undefined) {
        const timestamp = Math.floor(Date.now() / 1000);
        headers[callbackHeaders.timestamp] = String(timestamp);
        headers[callbackHeaders.signature] = signTimestampedBody({
          secret: settings.secret,
          timestamp,
          body,
        });
      }
      headers[callbackHeaders.delivery] = botRequest.message.id;
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      const response = await request(settings.url, {
        method: 'POST',
        headers,
        body,
        signal: options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]),
        ...(settings.dispatcher === undefined ? {} : { dispatcher: settings.dispatcher }),
      });
      const text = await response.body.text();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw new Error(`the bot answered HTTP ${response.statusCode}`);
      }
      try {
        return JSON.parse(text) as never;
      } catch (error) {
        throw new BotError({
          code: 'bot_invalid_response',
          message: 'the bot answered something that is not JSON',
          cause: error,
        });
      }
    },
  };
}
