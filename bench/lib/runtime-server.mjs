// A runtime in its own process for the benchmarks (the support system and the load are elsewhere,
// as in production). Configured by HANDOFF_BENCH_CONFIG (JSON); prints "listening <url>".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, runtimeConfigSchema } from '../../apps/runtime/dist/index.js';
import { createSqliteStores } from '../../packages/storage-sqlite/dist/index.js';
import { answerProbes } from './child-probe.mjs';

answerProbes();
const directory = mkdtempSync(join(tmpdir(), 'handoff-bench-runtime-'));
const config = runtimeConfigSchema.parse(JSON.parse(process.env.HANDOFF_BENCH_CONFIG ?? '{}'));
// SQLite in a scratch directory, unless the configuration names Redis (shared by instances).
const runtime = await createRuntime({
  config,
  ...(config.storage.type === 'redis'
    ? {}
    : { stores: createSqliteStores({ path: join(directory, 'bench.db') }) }),
  env: {},
});
const url = await runtime.listen();
console.log(`listening ${url}`);
process.on('SIGTERM', async () => {
  await runtime.close();
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});
