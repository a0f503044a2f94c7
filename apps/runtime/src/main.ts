#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigurationError } from '@handoff/core';
import { environmentOverrides, loadRuntimeConfig } from './config/load-config.js';
import { createRuntime, type Runtime } from './runtime.js';

const usage = `Usage: handoff-runtime [--config <file.yaml|file.json>]

Starts the Handoff runtime. Without --config (or HANDOFF_CONFIG) it runs the embedded demo:
the demo bot, the in-process support system, SQLite storage under .handoff/.
Environment overrides: ${Object.keys(environmentOverrides).join(', ')}.`;

async function main(): Promise<number> {
  let values: { config?: string | undefined; help?: boolean | undefined };
  try {
    values = parseArgs({ options: { config: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 1;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  let runtime: Runtime;
  try {
    const { config, source } = loadRuntimeConfig({ file: values.config });
    runtime = await createRuntime({ config });
    const url = await runtime.listen();
    const token = runtime.tokens[0];
    const base = config.server.publicUrl ?? url.replace('://0.0.0.0', '://127.0.0.1');
    const lines = [
      '',
      `Handoff runtime listening on ${base}`,
      `  configuration: ${source}`,
      `  support: ${runtime.support.name} (${runtime.support.type}) · bot: ${config.bot.type} · storage: ${config.storage.type === 'sqlite' ? `sqlite ${config.storage.path}` : 'memory'}`,
      `  webhook URL for the support system: ${base}/v1/support/${runtime.support.name}/webhook`,
      `  API description: ${base}/openapi.json`,
    ];
    if (token?.generated) {
      lines.push(
        `  channel API token (development, new at each start): ${token.token}`,
        '',
        'Try it:',
        `  curl -s -X POST ${base}/v1/channels/web/users/alice/messages \\`,
        `    -H 'authorization: Bearer ${token.token}' -H 'content-type: application/json' -d '{"text":"hello"}'`,
      );
    }
    console.log(`${lines.join('\n')}\n`);
  } catch (error) {
    if (ConfigurationError.isInstance(error)) {
      console.error(error.message);
      return 1;
    }
    console.error(`The runtime could not start: ${(error as Error).message}`);
    return 1;
  }
  const shutdown = (signal: string) => {
    runtime.app.log.info({ signal }, 'shutting down');
    runtime.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return -1;
}

main().then((code) => {
  if (code >= 0) process.exit(code);
});
