// A runtime hosting Chatwoot on a fake one: its platform app's token, and a public URL the fake's
// webhooks reach (the runtime listens there).
import type { FakeChatwoot } from '@handoff/chatwoot/testing';
import { freePort } from '@handoff/storage-redis/testing';
import { adminToken as defaultAdminToken } from './admin-token.js';
import { startRuntime, testToken } from './runtime-test-kit.js';

export async function startHostedRuntime(fake: FakeChatwoot, options: { adminToken?: string } = {}) {
  const port = await freePort();
  return startRuntime({
    server: { host: '127.0.0.1', port, publicUrl: `http://127.0.0.1:${port}` },
    auth: {
      tokens: [{ name: 'test', token: testToken }],
      adminTokens: [{ name: 'ops', token: options.adminToken ?? defaultAdminToken }],
      rateLimitPerMinute: 1_000_000,
    },
    hosted: { chatwoot: { baseUrl: fake.baseUrl, platformToken: fake.tokens.platform } },
  });
}
