// Test driver: a bot with scripted answers (echo, refund skill, handoff requests).

import type { BotConnector, BotRequest, BotResponse } from '../../src/contract/bot-connector.js';

/**
 * A bot for engine tests. Answers "echo: <text>"; "refund" starts an unfinished refund skill;
 * "refund A-17" does the same with the order slot filled; "human" asks for a handoff (with the
 * skills still open); "human billing" names the team.
 */
export function createScriptedBot(settings: { delayMs?: number } = {}) {
  const requests: BotRequest[] = [];
  let unfinished: BotResponse['unfinishedSkills'] = [];
  const bot: BotConnector = {
    async respond(request): Promise<BotResponse> {
      requests.push(structuredClone(request));
      if (settings.delayMs !== undefined)
        await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
      const text = request.message.text.trim().toLowerCase();
      if (text.startsWith('refund ')) {
        unfinished = [
          { skill: 'me.test.shop.Refund', slots: { order: request.message.text.trim().slice(7) } },
        ];
        return { replies: [{ text: 'Looking at that order.' }], unfinishedSkills: unfinished };
      }
      if (text === 'refund') {
        unfinished = ['me.test.shop.Refund'];
        return { replies: [{ text: 'Which order?' }], unfinishedSkills: unfinished };
      }
      if (text.startsWith('human')) {
        const team = text.split(' ')[1];
        return {
          replies: [{ text: 'Let me find a person.' }],
          unfinishedSkills: unfinished,
          handoff:
            team === undefined ? { reason: 'the user asked for a human' } : { team, reason: 'named team' },
        };
      }
      return { replies: [{ text: `echo: ${request.message.text}` }], unfinishedSkills: unfinished };
    },
  };
  return {
    bot,
    requests,
    forget() {
      unfinished = [];
    },
  };
}
