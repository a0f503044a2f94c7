import { ConfigurationError } from '@handoff/core';

/**
 * Runs `build`; a ConfigurationError it throws is thrown again with every issue placed under
 * `prefix`, so the message names the field as it is written in the configuration file.
 */
export function underConfigurationPath<Result>(prefix: readonly string[], build: () => Result): Result {
  try {
    return build();
  } catch (error) {
    if (!ConfigurationError.isInstance(error)) throw error;
    throw new ConfigurationError(
      error.issues.map((issue) => ({ path: [...prefix, ...issue.path], message: issue.message })),
      { source: 'configuration' },
    );
  }
}
