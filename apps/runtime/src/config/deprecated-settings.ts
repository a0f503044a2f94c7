// Settings still accepted under an old name, and the warnings the runtime logs for them at start.
import type { RuntimeConfig } from './runtime-config.js';

/** One warning per deprecated setting the configuration used, naming what to write instead. */
export function deprecatedSettingWarnings(config: RuntimeConfig): string[] {
  const warnings: string[] = [];
  if (config.support.type === 'in-process' && 'deprecatedType' in config.support) {
    warnings.push(
      'support.type memory is deprecated: write support.type in-process (the in-process support system; storage.type memory stays the storage in process memory)',
    );
  }
  return warnings;
}
