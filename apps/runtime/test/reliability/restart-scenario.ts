import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@handoff/http';
import { freePort } from '@handoff/storage-redis/testing';
import { startCallbackReceiver } from '../support/runtime-test-kit.js';
import { createChannelClient } from './channel-client.js';
import { createDeliveryLedger } from './delivery-ledger.js';
import { builtRuntime, runtimeProcess } from './runtime-process.js';
import { writeScenarioConfig } from './scenario-runtime-config.js';
import type { ScenarioSupport } from './scenario-support.js';

export interface RestartScenario {
  sessions: number;
  messagesPerSession: number;
  agentRepliesPerSession: number;
  /** Time between kills, drawn between these bounds (ms). */
  killEveryMs: readonly [number, number];
  /** Kills to make at least: the killing goes on into the settling if the load ends first. */
  minimumKills: number;
  /** Pause between one session's messages, so kills land in the middle of the load. */
  paceMs: number;
  seed: number;
  timeoutMs: number;
}

export interface RestartFigures {
  support: ScenarioSupport['type'];
  kills: number;
  userMessages: number;
  agentMessages: number;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Messages of one user that reached another (their conversation, or their channel). */
  crossed: number;
  durationMs: number;
  problems: string[];
}

const token = 'restart-token-0123456789abcdef';
const callbackSecret = 'restart-callback-secret-0123';

/** `user-3` of `user-3 message 2` or `reply 1 to user-3`: whose message a text is. */
function ownerOf(text: string): string | undefined {
  return /^(user-\d+) message \d+$/.exec(text)?.[1] ?? /^reply \d+ to (user-\d+)$/.exec(text)?.[1];
}

/**
 * Sessions hand off to the support system and exchange messages both ways while the runtime (the
 * built one, as a child process on SQLite, with the channel calling back) is killed with SIGKILL
 * again and again and restarted. A channel retries a call that got no answer with the same
 * message id, as a real one would. Afterwards every acknowledged user message, and every agent
 * reply (those whose webhook hit a dead runtime are read back by catching up), must have been
 * delivered exactly once, in order, and nothing of one user may have reached another. The in-process
 * system dies with the runtime: what it holds after each restart is what it saved.
 */
export async function runRestartScenario(
  scenario: RestartScenario,
  createSupport: (settings: {
    token: string;
    timeoutMs: number;
  }) => ScenarioSupport | Promise<ScenarioSupport>,
): Promise<RestartFigures> {
  if (!existsSync(builtRuntime)) throw new Error(`build the runtime first: ${builtRuntime} is missing`);
  const started = Date.now();
  const directory = mkdtempSync(join(tmpdir(), 'handoff-restart-'));
  const support = await createSupport({ token, timeoutMs: scenario.timeoutMs });
  const receiver = await startCallbackReceiver(callbackSecret);
  const port = await freePort();
  const configPath = join(directory, 'runtime.json');
  writeScenarioConfig(configPath, {
    port,
    token,
    storage: { type: 'sqlite', path: join(directory, 'runtime.db') },
    support: support.runtimeSettings(),
    callbackUrl: receiver.url,
    callbackSecret,
  });
  const runtime = runtimeProcess(configPath, port);
  support.connect(runtime.url);
  const ledger = createDeliveryLedger();
  const random = seededRandom(scenario.seed);
  const channel = createChannelClient({
    token,
    pickInstance: () => runtime.url,
    timeoutMs: scenario.timeoutMs,
  });
  let kills = 0;
  let loadDone = false;
  let crossed = 0;

  try {
    await runtime.start();
    const killer = (async () => {
      while (!loadDone || kills < scenario.minimumKills) {
        const [low, high] = scenario.killEveryMs;
        await new Promise((resolve) => setTimeout(resolve, low + random() * (high - low)));
        if (loadDone && kills >= scenario.minimumKills) break;
        await runtime.kill();
        kills += 1;
        await runtime.start();
      }
    })();

    const users = Array.from({ length: scenario.sessions }, (_, index) => `user-${index + 1}`);
    const expectedIncoming = new Map<string, string[]>();
    const repliesSent = new Map<string, string[]>();
    const conversationOf = new Map<string, string>();
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
        const conversationId = await channel.openConversation(userId, (id) => support.isOpen(id));
        conversationOf.set(userId, conversationId);
        const sent: string[] = [];
        for (let index = 1; index <= scenario.agentRepliesPerSession; index += 1) {
          const text = `reply ${index} to ${userId}`;
          await support.agentSays(conversationId, text);
          sent.push(text);
          await new Promise((resolve) => setTimeout(resolve, scenario.paceMs));
        }
        repliesSent.set(userId, sent);
      }),
    );
    loadDone = true;
    await killer;

    // Settle on the last runtime: every acknowledged message delivered, or the run is stuck.
    const numbered = async (userId: string) => {
      const expected = expectedIncoming.get(userId) ?? [];
      return (await support.userTexts(conversationOf.get(userId) ?? '')).filter((text) =>
        expected.includes(text),
      );
    };
    const callbacksOf = (userId: string) => {
      const unique = new Map<string, string>();
      for (const entry of receiver.received) {
        const message = entry.body.message as { id: string; text: string; kind: string };
        if (entry.body.userId === userId && message.kind === 'agent') unique.set(message.id, message.text);
      }
      return [...unique.values()];
    };
    const deadline = started + scenario.timeoutMs;
    const settled = async () => {
      for (const userId of users) {
        const got = await numbered(userId);
        if (!(expectedIncoming.get(userId) ?? []).every((text) => got.includes(text))) return false;
        if (!(repliesSent.get(userId) ?? []).every((text) => callbacksOf(userId).includes(text)))
          return false;
      }
      return true;
    };
    while (!(await settled()) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const userId of users) {
      const conversationId = conversationOf.get(userId) ?? '';
      ledger.compare(
        userId,
        `to ${support.type}`,
        expectedIncoming.get(userId) ?? [],
        await numbered(userId),
      );
      ledger.compare(userId, 'to the channel', repliesSent.get(userId) ?? [], callbacksOf(userId));
      ledger.duplicated(
        await support.duplicatePosts(conversationId),
        `${userId}: a message was stored twice in ${support.type}`,
      );
      if ((await support.usersOf(userId)) !== 1) ledger.problem(`${userId}: not exactly one support user`);
      // Isolation, both ways: the user's conversation and channel hold only their own messages.
      const strangers = [
        ...(await support.userTexts(conversationId)).filter((text) => (ownerOf(text) ?? userId) !== userId),
        ...receiver.received
          .filter((entry) => entry.body.userId === userId)
          .map((entry) => (entry.body.message as { text: string }).text)
          .filter((text) => (ownerOf(text) ?? userId) !== userId),
      ];
      crossed += strangers.length;
      if (strangers.length > 0)
        ledger.problem(`${userId}: got other users' messages: ${strangers.join(' | ')}`);
    }
    const tally = ledger.tally();
    return {
      support: support.type,
      kills,
      userMessages: users.length * scenario.messagesPerSession,
      agentMessages: users.length * scenario.agentRepliesPerSession,
      lost: tally.lost,
      duplicated: tally.duplicated,
      reordered: tally.reordered,
      crossed,
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
    await support.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
