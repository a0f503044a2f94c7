// BotError: the bot failed or answered something the engine cannot use.

import { errorBrand, hasBrand } from './error-brand.js';

export type BotErrorCode = 'bot_failed' | 'bot_invalid_response';

const botErrorBrand = errorBrand('bot-error');

/** The bot could not answer (it failed, or answered something the engine cannot use). */
export class BotError extends Error {
  readonly code: BotErrorCode;
  readonly retryable: boolean;

  constructor(settings: { code: BotErrorCode; message: string; retryable?: boolean; cause?: unknown }) {
    super(settings.message, settings.cause === undefined ? undefined : { cause: settings.cause });
    this.name = 'BotError';
    this.code = settings.code;
    this.retryable = settings.retryable ?? settings.code === 'bot_failed';
    Object.defineProperty(this, botErrorBrand, { value: true });
  }

  static isInstance(value: unknown): value is BotError {
    return hasBrand(value, botErrorBrand);
  }
}

export function isBotError(value: unknown): value is BotError {
  return BotError.isInstance(value);
}
