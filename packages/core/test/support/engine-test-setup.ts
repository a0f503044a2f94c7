// Test driver: an engine on scripted support, bot and channel, with helpers to play both sides.

import type { BotConnector } from '../../src/contract/bot-connector.js';
import type { HandoffStorage } from '../../src/contract/handoff-storage.js';
import type { SupportCapabilities } from '../../src/contract/support-capabilities.js';
import type {
  EngineTelemetryEvent,
  HandoffEngineSettings,
  TranscriptMode,
} from '../../src/engine/engine-types.js';
import { createHandoffEngine, type HandoffEngine } from '../../src/engine/handoff-engine.js';
import type { RoutingPriorityInput } from '../../src/routing/routing-priority.js';
import { createSkillRouter } from '../../src/routing/skill-router.js';
import { createInMemoryStorage } from '../../src/session/in-memory-storage.js';
import { createRecordingChannel } from './recording-channel.js';
import { createScriptedBot } from './scripted-bot.js';
import { createScriptedSupport } from './scripted-support.js';

export const testRouting: RoutingPriorityInput = {
  defaultTeam: { team: '1', label: 'General' },
  teams: [
    { team: '2', label: 'Billing', skills: ['me.test.shop.Refund'] },
    { team: '3', label: 'Orders', skills: ['me.test.orders.*'] },
  ],
};

const engines: HandoffEngine[] = [];

/** Stops every engine the setup started (call it in `afterEach`). */
export async function stopTestEngines(): Promise<void> {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
}

export interface EngineTestOptions {
  mode?: TranscriptMode;
  ask?: boolean;
  storage?: HandoffStorage;
  bot?: BotConnector;
  botDelayMs?: number;
  maxTranscript?: number;
  capabilities?: Partial<SupportCapabilities>;
  /** Engine settings on top of the test defaults. */
  engine?: Partial<HandoffEngineSettings>;
}

/** An engine on scripted support, bot and channel, started, with helpers to play both sides. */
export function setupEngine(options: EngineTestOptions = {}) {
  const support = createScriptedSupport(options.capabilities);
  const scriptedBot = createScriptedBot(
    options.botDelayMs === undefined ? {} : { delayMs: options.botDelayMs },
  );
  const channel = createRecordingChannel();
  const telemetry: EngineTelemetryEvent[] = [];
  const storage = options.storage ?? createInMemoryStorage();
  const engine = createHandoffEngine({
    support: support.adapter,
    router: createSkillRouter({ ...testRouting, askWhenNoSkill: options.ask ?? false }),
    bot: options.bot ?? scriptedBot.bot,
    channel: channel.channel,
    storage,
    transcript: { mode: options.mode ?? 'on-handoff', maxMessages: options.maxTranscript ?? 100 },
    delivery: { backoff: { initialDelayMs: 1, maxDelayMs: 5 } },
    onTelemetry: (event) => telemetry.push(event),
    ...options.engine,
  });
  engines.push(engine);
  engine.start();
  const user = { channelId: 'web', userId: 'user-1' };
  const say = (text: string, id?: string) =>
    engine.handleUserMessage({ ...user, message: id === undefined ? { text } : { id, text } });
  const conversationId = async () => {
    const session = await engine.getSession(user);
    const id = session?.conversation?.conversationId;
    if (id === undefined) throw new Error('no support conversation');
    return id;
  };
  const agent = { id: '7', name: 'Anna' };
  const agentSays = async (text: string, messageId = `agent-${text}`) =>
    engine.applyEvents([
      {
        type: 'agent.message',
        id: `message:${messageId}`,
        conversationId: await conversationId(),
        message: { id: messageId, text },
        agent,
      },
    ]);
  const agentNotes = async (text: string, noteId = `note-${text}`) =>
    engine.applyEvents([
      {
        type: 'agent.note',
        id: `note:${noteId}`,
        conversationId: await conversationId(),
        note: { id: noteId, text },
        agent,
      },
    ]);
  const agentResolves = async () =>
    engine.applyEvents([
      {
        type: 'conversation.closed',
        id: 'closed',
        conversationId: await conversationId(),
        closedBy: 'agent',
      },
    ]);
  return {
    engine,
    support,
    bot: scriptedBot,
    channel,
    telemetry,
    storage,
    user,
    say,
    agentSays,
    agentNotes,
    agentResolves,
    conversationId,
  };
}
