// The adapter and the bot agent a conformance run makes for a fake: its settings, the kit's call
// timeout and replay guard, and no environment (a test never reads ROCKETCHAT_*).
import type { ReplayGuard } from '@handoff/core';
import { createRocketChatAdapter } from '../rocketchat-adapter.js';
import { createRocketChatBotAgent } from '../rocketchat-bot-agent.js';
import type { FakeRocketChat } from './fake-rocketchat-server.js';
import { rocketChatBotAgentSettingsFor, rocketChatSettingsFor } from './rocketchat-settings-for.js';

/** What the kits give `createAdapter`. */
export interface KitAdapterContext {
  requestTimeoutMs: number;
  replayGuard?: ReplayGuard;
}

/** The external-mode adapter of a kit run against the fake. */
export function rocketChatAdapterFor(fake: FakeRocketChat, context: KitAdapterContext) {
  return createRocketChatAdapter({
    ...rocketChatSettingsFor(fake),
    requestTimeoutMs: context.requestTimeoutMs,
    ...(context.replayGuard === undefined ? {} : { replayGuard: context.replayGuard }),
    env: {},
  });
}

/** The bot agent (internal mode) of a kit run against the fake. */
export function rocketChatBotAgentFor(fake: FakeRocketChat, context: KitAdapterContext) {
  return createRocketChatBotAgent({
    ...rocketChatBotAgentSettingsFor(fake),
    requestTimeoutMs: context.requestTimeoutMs,
    env: {},
  });
}
