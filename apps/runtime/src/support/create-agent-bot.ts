import { createChatwootAgentBot } from '@handoff/chatwoot';
import type { BotHostAdapter } from '@handoff/core';
import type { Dispatcher } from 'undici';
import { underConfigurationPath } from '../config/configuration-path.js';
import type { RuntimeConfig } from '../config/runtime-config.js';

export interface AgentBotInstance {
  /** The instance name, part of its webhook URL. */
  name: string;
  adapter: BotHostAdapter;
}

/** Builds the configured agent-bot adapter; its settings errors name the field under `agentBot`. */
export function createAgentBot(
  config: NonNullable<RuntimeConfig['agentBot']>,
  context: { dispatcher?: Dispatcher | undefined; env?: Readonly<Record<string, string | undefined>> },
): AgentBotInstance {
  const adapter = underConfigurationPath(['agentBot', 'chatwoot'], () =>
    createChatwootAgentBot({
      ...config.chatwoot,
      ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
      ...(context.env === undefined ? {} : { env: context.env }),
    }),
  );
  return { name: config.name, adapter };
}
