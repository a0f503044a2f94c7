import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeChatwoot, startFakeChatwoot } from '@handoff/chatwoot/testing';
import { freePort, type RedisServer, startRedisServer } from '@handoff/storage-redis/testing';
import { startCallbackReceiver } from '../support/runtime-test-kit.js';
import { builtRuntime, type RuntimeProcess, runtimeProcess } from './runtime-process.js';
import { chatwootRuntimeSettings, writeScenarioConfig } from './scenario-runtime-config.js';

export const clusterToken = 'cluster-token-0123456789abcdef';
const clusterCallbackSecret = 'cluster-callback-secret-0123';

/** How long an instance holds a delivery without renewing it (the configured `leaseMs`). */
export const clusterLeaseMs = 2_000;

export interface RuntimeCluster {
  redis: RedisServer;
  fake: FakeChatwoot;
  receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  instances: RuntimeProcess[];
  /** The instances started and not dead (in start order). */
  live(): RuntimeProcess[];
  /** The last lines each instance printed, for a report. */
  outputs(): string;
  /** Stops every instance (SIGTERM), Redis, the fake and the receiver, and removes the files. */
  close(): Promise<void>;
}

/**
 * `instances` built runtimes (child processes, each on its own port of 127.0.0.1) sharing one real
 * redis-server (`storage.type: redis`, lease 2 s) and one fake Chatwoot, calling back one
 * receiver. The fake's webhook URL is left for the caller to point somewhere.
 */
export async function startRuntimeCluster(settings: { instances: number }): Promise<RuntimeCluster> {
  if (!existsSync(builtRuntime)) throw new Error(`build the runtime first: ${builtRuntime} is missing`);
  const directory = mkdtempSync(join(tmpdir(), 'handoff-cluster-'));
  const redis = await startRedisServer({ appendFsync: 'everysec' });
  const fake = await startFakeChatwoot();
  const receiver = await startCallbackReceiver(clusterCallbackSecret);
  const instances: RuntimeProcess[] = [];
  for (let index = 1; index <= settings.instances; index += 1) {
    const port = await freePort();
    const configPath = join(directory, `runtime-${index}.json`);
    writeScenarioConfig(configPath, {
      port,
      token: clusterToken,
      storage: { type: 'redis', url: redis.url, keyPrefix: 'handoff', leaseMs: clusterLeaseMs },
      support: chatwootRuntimeSettings(fake),
      callbackUrl: receiver.url,
      callbackSecret: clusterCallbackSecret,
    });
    instances.push(runtimeProcess(configPath, port));
  }
  const outputs = () =>
    instances
      .map(
        (instance, index) =>
          `--- instance ${index + 1} (${instance.url}) ---\n${instance.output().slice(-1_500)}`,
      )
      .join('\n');
  const close = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await receiver.close();
    await fake.close();
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    await Promise.all(instances.map((instance) => instance.start()));
  } catch (error) {
    const report = `${(error as Error).message}\n${outputs()}`;
    await close();
    throw new Error(report);
  }
  return {
    redis,
    fake,
    receiver,
    instances,
    live: () => instances.filter((instance) => instance.running()),
    outputs,
    close,
  };
}
