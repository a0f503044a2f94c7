import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SupportHarness } from '@handoff/core';
import type { ConformanceOptions, ConformanceTarget } from './conformance-target.js';
import { formatReport } from './format-report.js';
import { runConformance } from './run-conformance.js';

export const cliUsage = `Usage: handoff-conformance [--config <file>] [--live] [--only <point id prefix>]... [--json]

Runs the Handoff support contract against the adapter and harness named in the config file
(default: handoff-conformance.config.mjs), printing a pass/fail report per contract point.
The config's default export: { name, harness(), createAdapter(harness, context), live? }.
--live runs against the real instance described by \`live\`, when its variables are set.`;

export interface CliOutput {
  log: (text: string) => void;
  error: (text: string) => void;
  /** Progress while points run (one character each); omitted when not on a terminal. */
  progress?: (text: string) => void;
}

/** The `handoff-conformance` command. Resolves to the exit code: 0 all passed, 1 failures, 2 usage. */
export async function runCli(args: readonly string[], output: CliOutput): Promise<number> {
  let values: { config: string; live: boolean; only?: string[]; json: boolean; help: boolean };
  try {
    values = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string', default: 'handoff-conformance.config.mjs' },
        live: { type: 'boolean', default: false },
        only: { type: 'string', multiple: true },
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
    onResult: (result) => output.progress?.(result.status === 'failed' ? 'x' : '.'),
  });
  output.progress?.('\n\n');
  output.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.failed > 0 ? 1 : 0;
}
