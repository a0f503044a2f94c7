import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeChatwoot } from '@handoff/chatwoot/testing';
import { seededRandom, startCallbackReceiver } from '../test-support/runtime-test-kit.js';
import { agentSays } from './agent-says.js';
import { createChannelClient } from './channel-client.js';
import { createDeliveryLedger } from './delivery-ledger.js';
import { freePort } from './free-port.js';
import { builtRuntime, runtimeProcess } from './runtime-process.js';
import { writeScenarioConfig } from './scenario-runtime-config.js';

export interface RestartScenario {
  sessions: number;
  messagesPerSession: number;
  agentRepliesPerSession: number;
  /** Time between kills, drawn between these bounds (ms). */
  killEveryMs: readonly [number, number];
  /** Pause between one session's messages, so kills land in the middle of the load. */
  paceMs: number;
  seed: number;
  timeoutMs: number;
}

export interface RestartFigures {
  kills: number;
  userMessages: number;
  agentMessages: number;
  agentMessagesAcknowledged: number;
  /** Agent messages the runtime never acknowledged (it was down) yet delivered by catching up. */
  recoveredByCatchUp: number;
  lost: number;
  duplicated: number;
  reordered: number;
  durationMs: number;
  problems: string[];
}

const token = 'restart-token-0123456789abcdef';
const callbackSecret = 'restart-callback-secret-0123';

/**
 * Sessions hand off to the fake Chatwoot and exchange messages both ways while the runtime (the
 * built one, as a child process on SQLite) is killed with SIGKILL again and again and restarted.
 * A channel retries a call that got no answer with the same message id, as a real one would.
 * Afterwards every acknowledged user message, and every agent message (those whose webhook hit
 * a dead runtime are read back by catching up), must have been delivered exactly once, in order.
 */
export async function runRestartScenario(scenario: RestartScenario): Promise<RestartFigures> {
  if (!existsSync(builtRuntime)) throw new Error(`build the runtime first: ${builtRuntime} is missing`);
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'handoff-restart-'));
  const fake = await startFakeChatwoot();
  const receiver = await startCallbackReceiver(callbackSecret);
  const port = await freePort();
  const configPath = join(directory, 'runtime.json');
  writeScenarioConfig(configPath, {
    port,
    token,
    storage: { type: 'sqlite', path: join(directory, 'runtime.db') },
    fake,
    callbackUrl: receiver.url,
    callbackSecret,
  });
  const runtime = runtimeProcess(configPath, port);
  fake.setInbox({ webhookUrl: `${runtime.url}/v1/support/chatwoot/webhook` });
  const ledger = createDeliveryLedger();
  const random = seededRandom(scenario.seed);
  const channel = createChannelClient({
    token,
    pickInstance: () => runtime.url,
    timeoutMs: scenario.timeoutMs,
  });
  let kills = 0;
  let loadDone = false;

  try {
    await runtime.start();
    const killer = (async () => {
      while (!loadDone) {
        const [low, high] = scenario.killEveryMs;
        await new Promise((resolve) => setTimeout(resolve, low + random() * (high - low)));
        if (loadDone) break;
        await runtime.kill();
        kills += 1;
        await runtime.start();
      }
    })();

    const users = Array.from({ length: scenario.sessions }, (_, index) => `user-${index + 1}`);
    const expectedIncoming = new Map<string, string[]>();
    const agentMessageIds = new Map<string, Array<{ id: number; text: string }>>();
    const conversationOf = new Map<string, number>();
    await Promise.all(
      users.map(async (userId) => {
        await channel.handOff(userId);
        const texts = await channel.sendNumbered(
          userId,
          scenario.messagesPerSession,
          scenario.paceMs,
          (text, answer) => {
            if (answer.status !== 200) ledger.problem(`${userId}: "${text}" answered ${answer.status}`);
          },
        );
        expectedIncoming.set(userId, texts);
        const conversationId = await channel.openConversation(
          userId,
          (id) => fake.conversation(id)?.status === 'open',
        );
        conversationOf.set(userId, conversationId);
        const sent: Array<{ id: number; text: string }> = [];
        for (let index = 1; index <= scenario.agentRepliesPerSession; index += 1) {
          const text = `reply ${index} to ${userId}`;
          sent.push({ id: await agentSays(fake, conversationId, text), text });
          await new Promise((resolve) => setTimeout(resolve, scenario.paceMs));
        }
        agentMessageIds.set(userId, sent);
      }),
    );
    loadDone = true;
    await killer;

    // Settle on the last runtime: every acknowledged message delivered, or the run is stuck.
    const incomingOf = (userId: string) =>
      (fake.conversation(conversationOf.get(userId) ?? -1)?.messages ?? [])
        .filter((message) => message.messageType === 'incoming')
        .map((message) => message.content ?? '');
    const acknowledgedReplies = (userId: string) =>
      (agentMessageIds.get(userId) ?? [])
        .filter(
          (sent) =>
            fake
              .conversation(conversationOf.get(userId) ?? -1)
              ?.messages.find((message) => message.id === sent.id)?.status !== 'failed',
        )
        .map((sent) => sent.text);
    const receivedReplies = (userId: string) => {
      const unique = new Map<string, string>();
      for (const entry of receiver.received) {
        const message = entry.body.message as { id: string; text: string; kind: string };
        if (entry.body.userId === userId && message.kind === 'agent') unique.set(message.id, message.text);
      }
      return [...unique.values()];
    };
    const deadline = started + scenario.timeoutMs;
    const settled = () =>
      users.every(
        (userId) =>
          (expectedIncoming.get(userId) ?? []).every((text) => incomingOf(userId).includes(text)) &&
          (agentMessageIds.get(userId) ?? []).every((sent) => receivedReplies(userId).includes(sent.text)),
      );
    while (!settled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));

    let acknowledged = 0;
    for (const userId of users) {
      const expected = expectedIncoming.get(userId) ?? [];
      const numbered = incomingOf(userId).filter((text) => expected.includes(text));
      const allReplies = (agentMessageIds.get(userId) ?? []).map((sent) => sent.text);
      acknowledged += acknowledgedReplies(userId).length;
      ledger.compare(userId, 'to Chatwoot', expected, numbered);
      ledger.compare(userId, 'to the channel', allReplies, receivedReplies(userId));
      const conversation = fake.conversation(conversationOf.get(userId) ?? -1);
      const sourceIds = (conversation?.messages ?? [])
        .map((message) => message.sourceId)
        .filter((id) => id != null);
      ledger.duplicated(
        sourceIds.length - new Set(sourceIds).size,
        `${userId}: a message was posted twice in Chatwoot`,
      );
      if (fake.contacts().filter((contact) => contact.identifier === userId).length !== 1)
        ledger.problem(`${userId}: contact count`);
    }
    const tally = ledger.tally();
    return {
      kills,
      userMessages: users.length * scenario.messagesPerSession,
      agentMessages: users.length * scenario.agentRepliesPerSession,
      agentMessagesAcknowledged: acknowledged,
      recoveredByCatchUp:
        users.reduce((sum, userId) => sum + receivedReplies(userId).length, 0) - acknowledged,
      lost: tally.lost,
      duplicated: tally.duplicated,
      reordered: tally.reordered,
      durationMs: Date.now() - started,
      problems: tally.problems,
    };
  } catch (error) {
    ledger.problem(`${(error as Error).message}\n${runtime.output().slice(-2_000)}`);
    throw new Error(ledger.tally().problems.join('\n'));
  } finally {
    loadDone = true;
    await runtime.stop();
    await receiver.close();
    await fake.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
