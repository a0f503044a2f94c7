import { parseArgs } from 'node:util';
import { ConfigurationError } from '@handoff/core';
import { redactPostgresUrl } from '@handoff/storage-postgres';
import { redactRedisUrl } from '@handoff/storage-redis';
import { environmentOverrides, type LoadedConfig, loadRuntimeConfig } from './config/load-config.js';
import type { RuntimeConfig } from './config/runtime-config.js';
import { createRuntime, type Runtime } from './runtime.js';

const runtimeUsage = `Usage: handoff-runtime [--config <file.yaml|file.json>]

Starts the Handoff runtime. Without --config (or HANDOFF_CONFIG) it runs the embedded demo:
the demo bot, the in-process support system, SQLite storage under .handoff/.
Environment overrides: ${Object.keys(environmentOverrides).join(', ')}.`;

/** The storage as the start banner names it (a Redis or PostgreSQL password never shows). */
function describeStorage(storage: RuntimeConfig['storage']): string {
  switch (storage.type) {
    case 'sqlite':
      return `sqlite ${storage.path}`;
    case 'redis':
      return `redis ${redactRedisUrl(storage.url)} (keys ${storage.keyPrefix}:*)`;
    case 'postgres':
      return `postgres ${redactPostgresUrl(storage.url)} (tables ${storage.schema}.${storage.tablePrefix}_*)`;
    case 'memory':
      return 'memory';
  }
}

/** Where the host or port came from, as the start banner says it. */
function describeAddressSource(source: LoadedConfig['addressFrom']['host']): string {
  if (source === 'configuration') return 'the configuration';
  if (source === 'default') return 'the default';
  return source;
}

export interface StartOutput {
  log: (text: string) => void;
  error: (text: string) => void;
}

/**
 * What `handoff-runtime` does: reads the arguments and configuration, starts the runtime and
 * prints how to reach it. Resolves with the running runtime, or with the exit code to stop with
 * (1 for an invalid configuration, naming the field).
 */
export async function startFromCommandLine(
  args: readonly string[],
  output: StartOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<{ runtime: Runtime } | { exitCode: number }> {
  let values: { config?: string | undefined; help?: boolean | undefined };
  try {
    values = parseArgs({
      args: [...args],
      options: { config: { type: 'string' }, help: { type: 'boolean' } },
    }).values;
  } catch (error) {
    output.error(`${(error as Error).message}\n\n${runtimeUsage}`);
    return { exitCode: 1 };
  }
  if (values.help) {
    output.log(runtimeUsage);
    return { exitCode: 0 };
  }
  let runtime: Runtime;
  try {
    const { config, source, addressFrom } = loadRuntimeConfig({ file: values.config, env });
    runtime = await createRuntime({ config, env });
    const url = await runtime.listen();
    const token = runtime.tokens[0];
    const base = config.server.publicUrl ?? url.replace('://0.0.0.0', '://127.0.0.1');
    const lines = [
      '',
      `Handoff runtime listening on ${base}`,
      `  configuration: ${source}`,
      `  address: host from ${describeAddressSource(addressFrom.host)}, port from ${describeAddressSource(addressFrom.port)}`,
      `  support: ${runtime.support.name} (${runtime.support.type}) · bot: ${config.bot.type} · storage: ${describeStorage(config.storage)}`,
      `  webhook URL for the support system: ${base}/v1/support/${runtime.support.name}/webhook`,
      `  API description: ${base}/openapi.json`,
    ];
    // The token travels in the fragment, which browsers never send to a server.
    const withToken = token?.generated ? `#token=${token.token}` : '';
    lines.push(`  chat page: ${base}/chat${withToken}`);
    if (runtime.support.memory !== undefined) lines.push(`  agent console: ${base}/console${withToken}`);
    if (token?.generated) {
      lines.push(
        `  channel API token (development, new at each start): ${token.token}`,
        '',
        'Try it:',
        `  curl -s -X POST ${base}/v1/channels/web/users/alice/messages \\`,
        `    -H 'authorization: Bearer ${token.token}' -H 'content-type: application/json' -d '{"text":"hello"}'`,
      );
    }
    output.log(`${lines.join('\n')}\n`);
    return { runtime };
  } catch (error) {
    if (ConfigurationError.isInstance(error)) {
      output.error(error.message);
      return { exitCode: 1 };
    }
    output.error(`The runtime could not start: ${(error as Error).message}`);
    return { exitCode: 1 };
  }
}
