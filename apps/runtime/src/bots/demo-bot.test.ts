import { describe, expect, it } from 'vitest';
import { createDemoBot, createMemoryBotState, demoSkills } from './demo-bot.js';

const session = { channelId: 'web', userId: 'alice', sessionId: 'session-1' };
const turn = (id: string, text: string) => ({ session, message: { id, text } });

describe('the demo bot', () => {
  it('goes on with a dialogue another instance started, through the shared state', async () => {
    const state = createMemoryBotState();
    const first = createDemoBot({ state });
    const second = createDemoBot({ state });
    expect((await first.respond(turn('m1', 'I want a refund'), {})).replies).toEqual([
      { text: 'I can help with a refund. What is the order number?' },
    ]);
    expect((await second.respond(turn('m2', 'A-1043'), {})).replies).toEqual([
      { text: 'And why would you like a refund?' },
    ]);
    const handoff = await first.respond(turn('m3', 'agent please'), {});
    expect(handoff.handoff).toBeDefined();
    expect(handoff.unfinishedSkills).toEqual([
      { skill: demoSkills.refund, slots: { orderNumber: 'A-1043' } },
    ]);
  });

  it('answers a retried turn the same, without moving the dialogue on', async () => {
    const bot = createDemoBot({ state: createMemoryBotState() });
    await bot.respond(turn('m1', 'refund'), {});
    const answer = await bot.respond(turn('m2', 'A-1043'), {});
    expect(await bot.respond(turn('m2', 'A-1043'), {})).toEqual(answer);
    expect((await bot.respond(turn('m3', 'it broke'), {})).replies?.[0]?.text).toMatch(
      /I filed a refund request/,
    );
  });
});
