import { createChatwootAdapter } from '@handoff/chatwoot';
import { type HandoffStores, StorageUnavailableError, type SupportAdapter } from '@handoff/core';
import { createIntercomAdapter } from '@handoff/intercom';
import {
  createMemoryAdapter,
  createMemorySupportSystem,
  type MemorySupportSystem,
  type MemorySystemState,
} from '@handoff/memory';
import { createRocketChatAdapter } from '@handoff/rocketchat';
import { createSunshineAdapter } from '@handoff/sunshine';
import type { Dispatcher } from 'undici';
import { underConfigurationPath } from '../config/configuration-path.js';
import type { RuntimeConfig } from '../config/runtime-config.js';

export interface SupportInstance {
  /** The instance name, part of its webhook URL. */
  name: string;
  type: RuntimeConfig['support']['type'];
  adapter: SupportAdapter;
  /** The in-process system, when the support is the in-process one (it has an agent console). */
  memory?: MemorySupportSystem;
  close(): Promise<void>;
}

/** Builds the configured support adapter; its settings errors name the field under `support`. */
export async function createSupport(
  config: RuntimeConfig['support'],
  context: {
    stores: HandoffStores;
    dispatcher?: Dispatcher | undefined;
    env?: Readonly<Record<string, string | undefined>>;
  },
): Promise<SupportInstance> {
  if (config.type === 'chatwoot') {
    const adapter = underConfigurationPath(['support', 'chatwoot'], () =>
      createChatwootAdapter({
        ...config.chatwoot,
        ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
        ...(context.env === undefined ? {} : { env: context.env }),
      }),
    );
    return { name: config.name, type: 'chatwoot', adapter, close: async () => undefined };
  }
  if (config.type === 'intercom') {
    const adapter = underConfigurationPath(['support', 'intercom'], () =>
      createIntercomAdapter({
        ...config.intercom,
        ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
        ...(context.env === undefined ? {} : { env: context.env }),
      }),
    );
    return { name: config.name, type: 'intercom', adapter, close: async () => undefined };
  }
  if (config.type === 'sunshine') {
    const adapter = underConfigurationPath(['support', 'sunshine'], () =>
      createSunshineAdapter({
        ...config.sunshine,
        ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
        ...(context.env === undefined ? {} : { env: context.env }),
      }),
    );
    return { name: config.name, type: 'sunshine', adapter, close: async () => undefined };
  }
  if (config.type === 'rocketchat') {
    const adapter = underConfigurationPath(['support', 'rocketchat'], () =>
      createRocketChatAdapter({
        ...config.rocketchat,
        ...(context.dispatcher === undefined ? {} : { dispatcher: context.dispatcher }),
        ...(context.env === undefined ? {} : { env: context.env }),
      }),
    );
    return { name: config.name, type: 'rocketchat', adapter, close: async () => undefined };
  }
  // The in-process system: its records are saved with every change, before it answers or sends a
  // webhook, so a restart (even a killed process) finds everything it acknowledged, ids included.
  const store = context.stores.supportRecords;
  try {
    await store?.claim();
  } catch (error) {
    if (StorageUnavailableError.isInstance(error)) throw error;
    throw new Error(
      `support.type: ${(error as Error).message}, so with several instances use an external support system (chatwoot, intercom, sunshine, rocketchat)`,
      { cause: error },
    );
  }
  try {
    // The storage keeps the records it was given; the system reads back what it wrote.
    const saved = (await store?.load()) as MemorySystemState | undefined;
    // No default secrets: those not configured are generated once per installation and kept.
    const credentials = {
      apiToken: config.apiToken ?? (await context.stores.installationSecret('memory-support-api-token')),
      webhookSecret:
        config.webhookSecret ?? (await context.stores.installationSecret('memory-support-webhook-secret')),
    };
    const system = createMemorySupportSystem({
      ...credentials,
      ...(config.teams === undefined ? {} : { teams: config.teams }),
      ...(config.agents === undefined ? {} : { agents: config.agents }),
      ...(saved === undefined ? {} : { initialState: saved }),
      ...(store === undefined ? {} : { persistence: store.persistence }),
    });
    return {
      name: config.name,
      type: 'in-process',
      adapter: createMemoryAdapter({ system, ...credentials }),
      memory: system,
      async close() {
        await system.idle().catch(() => undefined);
        await store?.release();
      },
    };
  } catch (error) {
    await store?.release();
    throw error;
  }
}
