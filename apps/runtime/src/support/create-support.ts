import { createChatwootAdapter } from '@handoff/chatwoot';
import type { SupportAdapter } from '@handoff/core';
import { createIntercomAdapter } from '@handoff/intercom';
import { createMemoryAdapter, createMemorySupportSystem, type MemorySupportSystem } from '@handoff/memory';
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
  close(): Promise<void>;
}

/** Builds the configured support adapter; its settings errors name the field under `support`. */
export async function createSupport(
  config: RuntimeConfig['support'],
  context: {
    stores: RuntimeStores;
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
  // The in-process system: its records are saved with every change, before it answers or sends a
  // webhook, so a restart (even a killed process) finds everything it acknowledged, ids included.
  const store = context.stores.memorySupport;
  await store?.claim();
  try {
    const saved = await store?.load();
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
      type: 'memory',
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
