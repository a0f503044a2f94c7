// ConfigurationError: settings refused, with every issue and where it is; and parsing settings with it.

import type { z } from 'zod';
import { errorBrand, hasBrand } from './error-brand.js';

export type ConfigurationPath = ReadonlyArray<string | number>;

export interface ConfigurationIssue {
  path: ConfigurationPath;
  message: string;
}

const configurationErrorBrand = errorBrand('configuration-error');

/** Formats `['teams', 1, 'skills', 0]` as `teams[1].skills[0]`. */
export function formatConfigurationPath(path: ConfigurationPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(root)' : text;
}

/**
 * Settings or configuration that cannot be used. The message names every offending path, for
 * example `routing.teams[1].skills[0]: malformed skill name "billing"`.
 */
export class ConfigurationError extends Error {
  readonly issues: readonly ConfigurationIssue[];
  /** The first offending path. */
  readonly path: ConfigurationPath;

  constructor(issues: readonly ConfigurationIssue[], settings: { source?: string } = {}) {
    const first = issues[0] ?? { path: [], message: 'invalid configuration' };
    const lines = issues.map((issue) => `${formatConfigurationPath(issue.path)}: ${issue.message}`);
    const prefix = settings.source ? `Invalid ${settings.source}` : 'Invalid configuration';
    super(lines.length === 1 ? `${prefix}: ${lines[0]}` : `${prefix}:\n  ${lines.join('\n  ')}`);
    this.name = 'ConfigurationError';
    this.issues = issues;
    this.path = first.path;
    Object.defineProperty(this, configurationErrorBrand, { value: true });
  }

  static isInstance(value: unknown): value is ConfigurationError {
    return hasBrand(value, configurationErrorBrand);
  }

  /** Turns zod issues into a configuration error, optionally under a path prefix. */
  static fromZod(error: z.ZodError, settings: { source?: string; pathPrefix?: ConfigurationPath } = {}) {
    const prefix = settings.pathPrefix ?? [];
    return new ConfigurationError(
      error.issues.map((issue) => ({
        path: [...prefix, ...issue.path.filter((segment) => typeof segment !== 'symbol')],
        message: issue.message,
      })),
      settings.source === undefined ? {} : { source: settings.source },
    );
  }
}

export function isConfigurationError(value: unknown): value is ConfigurationError {
  return ConfigurationError.isInstance(value);
}

/** Parses `input` with `schema` or throws a ConfigurationError naming the bad fields. */
export function parseConfiguration<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  settings: { source?: string; pathPrefix?: ConfigurationPath } = {},
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw ConfigurationError.fromZod(result.error, settings);
  return result.data;
}
