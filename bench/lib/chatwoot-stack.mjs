// The runtime in front of a fake Chatwoot on loopback, as the benchmarks use it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { createRuntime, runtimeConfigSchema } from '../../apps/runtime/dist/index.js';
import { startFakeChatwoot } from '../../packages/chatwoot/dist/testing/index.js';
import { createInMemoryStores } from '../../packages/core/dist/index.js';
import { createSqliteStores } from '../../packages/storage-sqlite/dist/index.js';
import { benchRuntimeConfig, benchToken } from './bench-runtime-config.mjs';

/**
 * Starts a fake Chatwoot (no rate limit: real Chatwoot exempts loopback) and a runtime handing
 * off to it, with SQLite storage (the durable outbox) unless `storage: 'memory'`.
 */
export async function startChatwootStack(options = {}) {
  const fake = await startFakeChatwoot();
  // Omar, Orders' only member, is at work.
  fake.setAvailability(8, 'online');
  const directory = mkdtempSync(join(tmpdir(), 'handoff-bench-'));
  const config = runtimeConfigSchema.parse(
    benchRuntimeConfig(fake, {
      storage: { type: 'memory' },
      ...(options.channels === undefined ? {} : { channels: options.channels }),
    }),
  );
  const stores =
    options.storage === 'memory'
      ? createInMemoryStores()
      : createSqliteStores({ path: join(directory, 'bench.db') });
  const runtime = await createRuntime({ config, stores, env: {} });
  const url = await runtime.listen();
  fake.setInbox({ webhookUrl: `${url}/v1/support/chatwoot/webhook` });

  const say = async (userId, text, id) => {
    const response = await request(`${url}/v1/channels/web/users/${encodeURIComponent(userId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${benchToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(id === undefined ? { text } : { id, text }),
    });
    const body = await response.body.json();
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${JSON.stringify(body)}`);
    return body;
  };
  /** Waits until the runtime delivered everything it accepted and the fake sent every webhook. */
  const settle = async () => {
    for (let round = 0; round < 3; round += 1) {
      await runtime.engine.drain({ timeoutMs: 60_000 });
      await fake.idle();
    }
  };
  const session = async (userId) => {
    const response = await request(`${url}/v1/channels/web/users/${encodeURIComponent(userId)}/session`, {
      headers: { authorization: `Bearer ${benchToken}` },
    });
    return response.body.json();
  };
  /** An agent action in Chatwoot's UI (not counted: the harness header keeps it out of the record). */
  const asAgent = async (path, body) => {
    const response = await request(`${fake.baseUrl}/api/v1/accounts/${fake.accountId}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        api_access_token: fake.tokens.agent,
        'x-fake-chatwoot-harness': '1',
      },
      body: JSON.stringify(body),
    });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`the fake refused ${path}: HTTP ${response.statusCode}`);
  };
  return {
    fake,
    runtime,
    url,
    say,
    settle,
    session,
    asAgent,
    async close() {
      await runtime.close();
      await fake.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
