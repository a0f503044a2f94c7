// InputError: a caller's input refused, with every issue and where it is.

import type { z } from 'zod';
import { type ConfigurationIssue, formatConfigurationPath } from './configuration-error.js';
import { errorBrand, hasBrand } from './error-brand.js';

const inputErrorBrand = errorBrand('input-error');

/** A call to the engine carried input it cannot accept; `issues` name each bad field. */
export class InputError extends Error {
  readonly issues: readonly ConfigurationIssue[];

  constructor(issues: readonly ConfigurationIssue[]) {
    super(issues.map((issue) => `${formatConfigurationPath(issue.path)}: ${issue.message}`).join('; '));
    this.name = 'InputError';
    this.issues = issues;
    Object.defineProperty(this, inputErrorBrand, { value: true });
  }

  static isInstance(value: unknown): value is InputError {
    return hasBrand(value, inputErrorBrand);
  }

  static fromZod(error: z.ZodError, pathPrefix: ReadonlyArray<string | number> = []): InputError {
    return new InputError(
      error.issues.map((issue) => ({
        path: [...pathPrefix, ...issue.path.filter((segment) => typeof segment !== 'symbol')],
        message: issue.message,
      })),
    );
  }
}

export function isInputError(value: unknown): value is InputError {
  return InputError.isInstance(value);
}
