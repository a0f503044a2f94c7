// What the end-to-end tests of each support system share: the demo routing over the system's own
// teams, waiting for the handed-off conversation, a runtime with admin tokens, and the driver of
// an internal-mode conversation (the contact writes, the system and the runtime settle).
import type { BotHostHarness } from '@handoff/core';
import { adminToken } from './admin-token.js';
import { eventually, startRuntime, testToken } from './runtime-test-kit.js';

/** The demo routing over a system's teams, by name: refunds to `refunds`, the rest to `fallback`. */
export function refundRoutingOver(
  teams: ReadonlyArray<{ id: string; name: string }>,
  names: { fallback: string; refunds: string },
) {
  const id = (name: string) => {
    const team = teams.find((candidate) => candidate.name === name);
    if (team === undefined) throw new Error(`the support system has no team named ${name}`);
    return team.id;
  };
  return {
    defaultTeam: { team: id(names.fallback), label: names.fallback },
    teams: [{ team: id(names.refunds), label: names.refunds, skills: ['demo.shop.Refund'] }],
  };
}

/** The conversation id the user's session holds once the handoff opened it. */
export function handedOffConversationId(
  user: { session(): Promise<{ json: Record<string, unknown> }> },
  timeoutMs?: number,
): Promise<string> {
  return eventually(async () => {
    const id = (await user.session()).json.conversationId;
    if (typeof id !== 'string') throw new Error('no conversation yet');
    return id;
  }, timeoutMs);
}

/** A runtime with the test channel token and an admin token, rate limits out of the way. */
export function startRuntimeWithAdmin() {
  return startRuntime({
    auth: {
      tokens: [{ name: 'test', token: testToken }],
      adminTokens: [{ name: 'ops', token: adminToken }],
      rateLimitPerMinute: 1_000_000,
    },
  });
}

/**
 * Drives an internal-mode conversation: `says` is the contact writing, then waiting until the
 * system delivered everything and the runtime acted on it (answers cause webhooks, hence rounds).
 */
export function internalModeDriver(
  harness: BotHostHarness & { fake: { idle(): Promise<void> } },
  engine: { drain(): Promise<unknown> },
  contact = { identifier: 'jane-1', name: 'Jane Doe', email: 'jane@example.test' },
) {
  const settled = async () => {
    for (let round = 0; round < 3; round += 1) {
      await harness.fake.idle();
      await engine.drain();
    }
  };
  const says = async (text: string) => {
    const written = await harness.contactWrites(contact, text);
    await settled();
    return written.conversationId;
  };
  const transcript = async (conversationId: string) =>
    ((await harness.getConversation(conversationId))?.messages ?? []).map(
      (message) => `${message.author}${message.private ? ' (private)' : ''}: ${message.text}`,
    );
  return { settled, says, transcript };
}
