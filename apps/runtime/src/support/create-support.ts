import { createChatwootAdapter } from '@handoff/chatwoot';
import type { SupportAdapter } from '@handoff/core';
import { createIntercomAdapter } from '@handoff/intercom';
import {
  createMemoryAdapter,
  createMemorySupportSystem,
  type MemorySupportSystem,
  type MemorySystemState,
} from '@handoff/memory';
import type { Dispatcher } from 'undici';
import { underConfigurationPath } from '../config/configuration-path.js';
import type { RuntimeConfig } from '../config/runtime-config.js';
import type { RuntimeStores } from '../storage/runtime-stores.js';

export interface SupportInstance {
  /** The instance name, part of its webhook URL. */
  name: string;
  type: RuntimeConfig['support']['type'];
  adapter: SupportAdapter;
  /** The in-process system, when the support is the in-process one (it has an agent console). */
  memory?: MemorySupportSystem;
  close(): void;
}

/** Builds the configured support adapter; its settings errors name the field under `support`. */
export function createSupport(
  config: RuntimeConfig['support'],
  context: {
    stores: RuntimeStores;
    dispatcher?: Dispatcher | undefined;
    env?: Readonly<Record<string, string | undefined>>;
  },
): SupportInstance {
  if (config.type === 'chatwoot') {
    const adapter = underConfigurationPath(['support', 'chatwoot'], () =>
      createChatwootAdapter({
        ...config.chatwoot,
        ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
        ...(context.env === undefined ? {} : { env: context.env }),
      }),
    );
    return { name: config.name, type: 'chatwoot', adapter, close: () => undefined };
  }
  if (config.type === 'intercom') {
    const adapter = underConfigurationPath(['support', 'intercom'], () =>
      createIntercomAdapter({
        ...config.intercom,
        ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
        ...(context.env === undefined ? {} : { env: context.env }),
      }),
    );
    return { name: config.name, type: 'intercom', adapter, close: () => undefined };
  }
  const persisted = context.stores.memorySupportState;
  const saved = persisted?.load();
  const system = createMemorySupportSystem({
    ...(config.teams === undefined ? {} : { teams: config.teams }),
    ...(config.agents === undefined ? {} : { agents: config.agents }),
    ...(saved === undefined ? {} : { initialState: JSON.parse(saved) as MemorySystemState }),
  });
  // The demo's support system keeps its conversations in the same file as the sessions.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    timer = undefined;
    persisted?.save(JSON.stringify(system.exportState()));
  };
  const stopWatching = system.onChange(() => {
    if (persisted !== undefined && timer === undefined) timer = setTimeout(save, 100);
  });
  return {
    name: config.name,
    type: 'memory',
    adapter: createMemoryAdapter({ system }),
    memory: system,
    close() {
      stopWatching();
      if (timer !== undefined) {
        clearTimeout(timer);
        save();
      }
    },
  };
}
