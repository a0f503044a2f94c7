// The runtime configuration the benchmarks start from: the demo's, on loopback, a bench token
// with no rate limit to speak of, silent logs, and a fake Chatwoot as the support system (no
// periodic catch-up: nothing of it is measured).
import { demoConfig } from '../../apps/runtime/dist/index.js';
import { chatwootSettingsFor } from '../../packages/chatwoot/dist/testing/index.js';

export const benchToken = 'bench-token-0123456789abcdef';

/** The configuration, with `extra` merged in at the top level (storage, channels, ...). */
export function benchRuntimeConfig(fake, extra = {}) {
  return {
    ...demoConfig,
    server: { host: '127.0.0.1', port: 0 },
    auth: { tokens: [{ name: 'bench', token: benchToken }], rateLimitPerMinute: 100_000_000 },
    logging: { level: 'silent' },
    support: {
      type: 'chatwoot',
      name: 'chatwoot',
      catchUpIntervalMs: 0,
      chatwoot: chatwootSettingsFor(fake),
    },
    ...extra,
  };
}
