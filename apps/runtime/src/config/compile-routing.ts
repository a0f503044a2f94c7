import { ConfigurationError, createSkillRouter, type SkillRouter } from '@handoff/core';
import type { RuntimeConfig } from './runtime-config.js';

/** The skill router of the configuration; its errors name the entry under `routing`. */
export function compileRouting(routing: RuntimeConfig['routing'], source = 'configuration'): SkillRouter {
  try {
    return createSkillRouter(routing);
  } catch (error) {
    if (!ConfigurationError.isInstance(error)) throw error;
    throw new ConfigurationError(
      error.issues.map((issue) => ({ path: ['routing', ...issue.path], message: issue.message })),
      { source },
    );
  }
}
