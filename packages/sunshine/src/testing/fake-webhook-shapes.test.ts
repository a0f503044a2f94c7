import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSunshineBotHostHarness, type SunshineBotHostHarness } from './sunshine-bot-host-harness.js';

/** Every key path of a JSON value (`payload.message.author.user.id`), arrays by their first item. */
function keyPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : keyPaths(value[0], `${at}[]`);
  if (value === null || typeof value !== 'object') return [at];
  return Object.entries(value).flatMap(([key, child]) => [
    `${at}.${key}`,
    ...keyPaths(child, `${at}.${key}`),
  ]);
}

/** Paths of the spec's examples that belong to the example's channel (Telegram, a web user), not to the event. */
const channelSpecific = new Set([
  '.payload.message.author.avatarUrl',
  '.payload.message.source.originalMessageId',
  '.payload.message.source.originalMessageTimestamp',
  // The example's typing author is a user; the Agent Workspace's is the business.
  '.payload.activity.author.userId',
  '.payload.activity.author.user',
  '.payload.activity.author.user.id',
  '.payload.activity.author.user.authenticated',
  // The example offers control to a second custom integration while the bot is active.
  '.payload.conversation.pendingSwitchboardIntegration',
]);

const example = (type: string) =>
  JSON.parse(
    readFileSync(
      new URL(`../../__fixtures__/webhooks/${type.replace(':', '-')}.spec-example.json`, import.meta.url),
      'utf8',
    ),
  ) as { events: unknown[] };

let harness: SunshineBotHostHarness | undefined;
afterEach(async () => {
  await harness?.close?.();
  harness = undefined;
});

describe("the fake's webhooks have every field of the spec's examples", () => {
  it('conversation:message, conversation:typing and the switchboard events', async () => {
    harness = await createSunshineBotHostHarness();
    const sent: string[] = [];
    harness.fake.onWebhook((delivery) => {
      sent.push(delivery.body);
    });
    const { conversationId } = await harness.contactWrites(
      { identifier: 'c-1', name: 'Steve Rogers' },
      'hello',
    );
    await harness.agentTakes(conversationId);
    harness.fake.agentWorkspace.typing(harness.fake.context.state.conversations[0] as never, true);
    await harness.resolve(conversationId);
    await harness.fake.idle();
    const events = sent.flatMap((body) => (JSON.parse(body) as { events: Array<{ type: string }> }).events);
    for (const type of [
      'conversation:message',
      'conversation:typing',
      'switchboard:passControl',
      'switchboard:releaseControl',
    ]) {
      const ours = events.find((event) => event.type === type);
      expect(ours, type).toBeDefined();
      const have = new Set(keyPaths(ours));
      const missing = keyPaths(example(type).events[0]).filter(
        (path) => !have.has(path) && !channelSpecific.has(path),
      );
      expect(missing, type).toEqual([]);
    }
    // Envelope: app, webhook (with its version), events.
    const envelope = new Set(keyPaths({ ...JSON.parse(sent[0] ?? '{}'), events: [] }));
    expect(
      keyPaths({ ...example('conversation:message'), events: [] }).filter((path) => !envelope.has(path)),
    ).toEqual([]);
  });
});
