// Asking the bot and reading its answer, the same in both modes: failures become BotErrors, the
// answer is validated, and its unfinished skills are read.

import type { z } from 'zod';
import { type BotConnector, type BotRequest, botResponseSchema } from '../contract/bot-connector.js';
import type { CallOptions } from '../contract/support-adapter.js';
import { BotError } from '../errors/bot-error.js';

/** The bot's answer as validated, defaults filled in. */
export type BotAnswer = z.output<typeof botResponseSchema>;

/**
 * Asks the bot and validates its answer. Throws BotError `bot_failed` when it fails (a BotError it
 * throws itself is kept) and `bot_invalid_response` when it answers something unusable.
 */
export async function requestBotAnswer(
  bot: BotConnector,
  request: BotRequest,
  options: CallOptions,
): Promise<BotAnswer> {
  let answer: unknown;
  try {
    answer = await bot.respond(request, options);
  } catch (error) {
    if (BotError.isInstance(error)) throw error;
    throw new BotError({ code: 'bot_failed', message: 'the bot did not answer', cause: error });
  }
  const response = botResponseSchema.safeParse(answer);
  if (!response.success) {
    throw new BotError({
      code: 'bot_invalid_response',
      message: `the bot answered something unusable: ${response.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    });
  }
  return response.data;
}

/** The bot's unfinished skills as names (innermost first) and the slots it filled, by skill. */
export function unfinishedSkillsOf(response: Pick<BotAnswer, 'unfinishedSkills'>) {
  const names: string[] = [];
  const slots: Record<string, Record<string, string | number | boolean>> = {};
  for (const entry of response.unfinishedSkills) {
    if (typeof entry === 'string') {
      names.push(entry);
      continue;
    }
    names.push(entry.skill);
    if (entry.slots !== undefined && Object.keys(entry.slots).length > 0) slots[entry.skill] = entry.slots;
  }
  return { names, slots: Object.keys(slots).length > 0 ? slots : undefined };
}
