import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SupportHarness } from '@handoff/core';
import type { ConformanceOptions, ConformanceTarget } from './conformance-target.js';
import { formatReport } from './format-report.js';
import { runConformance } from './run-conformance.js';

export const cliUsage = `Usage: handoff-conformance [--config <file>] [--live] [--only <point id prefix>]...
                           [--seed <n>] [--concurrency <n>] [--json]

Runs the Handoff support contract against the adapter and harness named in the config file
(default: handoff-conformance.config.mjs), printing a pass/fail report per contract point,
grouped by the rule each suite checks.
The config's default export: { name, harness(), createAdapter(harness, context), live? }.
--live runs against the real instance described by \`live\`, when its variables are set (one
point at a time). --seed replays the random sequences of an earlier report. --concurrency sets
how many points run at once (default 4, each against its own backend).`;

export interface CliOutput {
  log: (text: string) => void;
  error: (text: string) => void;
  /** Progress while points run (one character each); omitted when not on a terminal. */
  progress?: (text: string) => void;
}

/** The `handoff-conformance` command. Resolves to the exit code: 0 all passed, 1 failures, 2 usage. */
export async function runCli(args: readonly string[], output: CliOutput): Promise<number> {
  let values: {
    config: string;
    live: boolean;
    only?: string[];
    seed?: string;
    concurrency?: string;
    json: boolean;
    help: boolean;
  };
  try {
    values = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string', default: 'handoff-conformance.config.mjs' },
        live: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values as typeof values;
  } catch (error) {
    output.error(`${error instanceof Error ? error.message : error}\n\n${cliUsage}`);
    return 2;
  }
  if (values.help) {
    output.log(cliUsage);
    return 0;
  }
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    output.error(`--seed must be an integer, got ${values.seed}\n\n${cliUsage}`);
    return 2;
  }
  if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    output.error(
      `--concurrency must be a whole number of at least 1, got ${values.concurrency}\n\n${cliUsage}`,
    );
    return 2;
  }
  const file = resolve(values.config);
  if (!existsSync(file)) {
    output.error(`No config file at ${file}.\n\n${cliUsage}`);
    return 2;
  }
  const loaded = (await import(pathToFileURL(file).href)) as {
    default?: ConformanceOptions<SupportHarness, SupportHarness>;
  };
  const options = loaded.default;
  if (
    options === undefined ||
    typeof options.harness !== 'function' ||
    typeof options.createAdapter !== 'function'
  ) {
    output.error(`${file} must export default { name, harness, createAdapter }.`);
    return 2;
  }
  let target: ConformanceTarget = options;
  if (values.live) {
    const live = options.live;
    if (live === undefined) {
      output.error(`${file} describes no live target.`);
      return 2;
    }
    const missing = live.variables.filter((name) => !process.env[name]);
    if (missing.length > 0) {
      output.log(
        `Live mode skipped for ${live.name}: set ${missing.join(', ')} to run against a real instance.`,
      );
      return 0;
    }
    target = live;
  }
  const report = await runConformance(target, {
    ...(values.only === undefined ? {} : { only: values.only }),
    ...(seed === undefined ? {} : { seed }),
    concurrency: values.live ? 1 : (concurrency ?? 4),
    onResult: (result) => output.progress?.(result.status === 'failed' ? 'x' : '.'),
  });
  output.progress?.('\n\n');
  output.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.failed > 0 ? 1 : 0;
}
