import { createChatwootAgentBot } from '@handoff/chatwoot';
import type { BotHostAdapter } from '@handoff/core';
import { createRocketChatBotAgent } from '@handoff/rocketchat';
import { createSunshineSwitchboardBot } from '@handoff/sunshine';
import type { Dispatcher } from 'undici';
import { underConfigurationPath } from '../config/configuration-path.js';
import type { RuntimeConfig } from '../config/runtime-config.js';

export interface AgentBotInstance {
  /** The instance name, part of its webhook URL. */
  name: string;
  adapter: BotHostAdapter;
}

/** Builds the configured internal-mode adapter; its settings errors name the field under `agentBot`. */
export function createAgentBot(
  config: NonNullable<RuntimeConfig['agentBot']>,
  context: { dispatcher?: Dispatcher | undefined; env?: Readonly<Record<string, string | undefined>> },
): AgentBotInstance {
  const live = {
    ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
    ...(context.env === undefined ? {} : { env: context.env }),
  };
  const adapter = underConfigurationPath(['agentBot', config.type], () => {
    switch (config.type) {
      case 'chatwoot':
        return createChatwootAgentBot({ ...config.chatwoot, ...live });
      case 'sunshine':
        return createSunshineSwitchboardBot({ ...config.sunshine, ...live });
      case 'rocketchat':
        return createRocketChatBotAgent({ ...config.rocketchat, ...live });
    }
  });
  return { name: config.name, adapter };
}
