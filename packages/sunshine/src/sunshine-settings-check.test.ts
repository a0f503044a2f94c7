import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSunshineAdapter } from './sunshine-adapter.js';

const origin = 'https://acme.zendesk.test';
const app = '/sc/v2/apps/app1';

let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

afterEach(async () => {
  await agent.close();
});

const answer = (method: string, path: string, status: number, body: object) =>
  agent
    .get(origin)
    .intercept({ method, path: (candidate) => candidate === path || candidate.startsWith(`${path}?`) })
    .reply(status, body);

const verify = () => {
  const adapter = createSunshineAdapter({
    baseUrl: `${origin}/sc`,
    appId: 'app1',
    keyId: 'app_key',
    keySecret: 'key-secret-canary',
    webhookSecret: 'webhook-secret-canary',
    integrationId: 'integration-ours',
    zendeskUrl: origin,
    zendeskEmail: 'bot@acme.test',
    zendeskApiToken: 'zendesk-token-canary',
    dispatcher: agent,
    env: {},
  });
  if (adapter.verifySettings === undefined) throw new Error('no verifySettings');
  return adapter.verifySettings();
};

const switchboards = () =>
  answer('GET', `${app}/switchboards`, 200, { switchboards: [{ id: 'sb1', enabled: true }] });
const integrations = (integrationId: string) =>
  answer('GET', `${app}/switchboards/sb1/switchboardIntegrations`, 200, {
    switchboardIntegrations: [{ id: 'sw1', name: 'handoff-bot', integrationId, integrationType: 'custom' }],
  });
const groups = (status = 200) =>
  answer(
    'GET',
    '/api/v2/groups',
    status,
    status === 200 ? { groups: [{ id: 1, name: 'Support' }] } : { error: "Couldn't authenticate you" },
  );

describe('Sunshine adapter: verifySettings', () => {
  it('finds nothing wrong with a good key, our switchboard integration and a good Support token', async () => {
    switchboards();
    switchboards();
    integrations('integration-ours');
    groups();
    expect(await verify()).toEqual([]);
  });

  it('reports a refused key on keySecret (and does not look for the integration), and a refused Support token', async () => {
    answer('GET', `${app}/switchboards`, 401, {
      errors: [{ code: 'unauthorized', title: 'Authorization is required' }],
    });
    groups(401);
    const issues = await verify();
    expect(issues.map((issue) => issue.field)).toEqual(['keySecret', 'zendeskApiToken']);
    expect(JSON.stringify(issues)).not.toMatch(/canary/);
  });

  it('reports an unknown app on appId, and a switchboard without our integration on integrationId', async () => {
    answer('GET', `${app}/switchboards`, 404, {
      errors: [{ code: 'app_not_found', title: 'App not found' }],
    });
    groups();
    expect((await verify()).map((issue) => issue.field)).toEqual(['appId']);

    switchboards();
    switchboards();
    integrations('someone-else');
    groups();
    expect((await verify()).map((issue) => issue.field)).toEqual(['integrationId']);
  });

  it('throws what is no settings issue (a 5xx)', async () => {
    answer('GET', `${app}/switchboards`, 503, { errors: [{ code: 'unavailable', title: 'down' }] });
    await expect(verify()).rejects.toMatchObject({ code: 'unavailable', retryable: true });
  });
});
