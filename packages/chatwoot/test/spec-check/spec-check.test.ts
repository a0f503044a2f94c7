import {
  compileOpenApiDocument,
  createOpenApiRequestValidator,
  createOpenApiResponseValidator,
  runBotHostConformance,
  runConformance,
  unexplainedProblems,
  unusedExceptions,
} from '@handoff/conformance';
import { describe, expect, it } from 'vitest';
import { createChatwootAgentBot } from '../../src/chatwoot-agent-bot.js';
import {
  type ChatwootBotHostHarness,
  type ChatwootHarness,
  chatwootAgentBotSettingsFor,
  createChatwootBotHostHarness,
  createChatwootHarness,
  type RecordedRequest,
} from '../../src/testing/index.js';
import { chatwootAdapterFor } from '../chatwoot-target.js';
import { loadOpenApiDocument } from './openapi-document.js';
import { chatwootResponseExceptions, chatwootSpecExceptions } from './spec-exceptions.js';

const loaded = loadOpenApiDocument();
if ('missing' in loaded) console.info(`Chatwoot spec check skipped: ${loaded.missing}`);

const runs = new Map<string, Promise<RecordedRequest[]>>();

/** Every request the adapter sent during one conformance run per configuration (run once each). */
function requestsOfConformanceRun(
  configuration: 'bot token' | 'user token only',
): Promise<RecordedRequest[]> {
  let run = runs.get(configuration);
  if (run === undefined) {
    run = runConformanceCollecting(configuration);
    runs.set(configuration, run);
  }
  return run;
}

/** Runs the whole conformance kit against the fake and returns every request the adapter sent. */
async function runConformanceCollecting(
  configuration: 'bot token' | 'user token only',
): Promise<RecordedRequest[]> {
  const harnesses: ChatwootHarness[] = [];
  const report = await runConformance(
    {
      name: `chatwoot, ${configuration}`,
      harness: async () => {
        const harness = await createChatwootHarness();
        harnesses.push(harness);
        return harness;
      },
      createAdapter: (harness, context) =>
        chatwootAdapterFor(
          harness,
          context,
          configuration === 'bot token' ? {} : { agentBotToken: undefined },
        ),
    },
    { requestTimeoutMs: 1_000 },
  );
  expect(report.failed).toBe(0);
  return harnesses.flatMap((harness) => harness.fake.requests);
}

let agentBotRequests: Promise<RecordedRequest[]> | undefined;
/** The agent bot's requests of one internal-mode run (run once). */
const agentBotRun = () => {
  agentBotRequests ??= requestsOfAgentBotRun();
  return agentBotRequests;
};

/** Runs the internal-mode suite against the fake and returns every request the agent bot sent. */
async function requestsOfAgentBotRun(): Promise<RecordedRequest[]> {
  const harnesses: ChatwootBotHostHarness[] = [];
  const results = await runBotHostConformance(
    {
      name: 'chatwoot agent bot',
      harness: async () => {
        const harness = await createChatwootBotHostHarness({ botWebhookRetryDelayMs: 10 });
        harnesses.push(harness);
        return harness;
      },
      createAdapter: (harness, context) =>
        createChatwootAgentBot({
          ...chatwootAgentBotSettingsFor(harness.fake),
          requestTimeoutMs: context.requestTimeoutMs,
          env: {},
        }),
    },
    { requestTimeoutMs: 1_000 },
  );
  expect(results.filter((result) => result.status === 'failed')).toEqual([]);
  return harnesses.flatMap((harness) => harness.fake.requests);
}

let settingsRequests: Promise<RecordedRequest[]> | undefined;
/** The requests of settings checks and webhook registrations (run once): calls the kit never makes. */
const settingsRun = () => {
  settingsRequests ??= requestsOfSettingsAndWebhooks();
  return settingsRequests;
};

/**
 * `verifySettings` with good settings and with each field wrong (but a bot's token as the user
 * token: the document rightly lists user tokens only), and `registerWebhook` creating,
 * reusing, completing a webhook and refused for an agent, all against the fake.
 */
async function requestsOfSettingsAndWebhooks(): Promise<RecordedRequest[]> {
  const harness = await createChatwootHarness();
  try {
    const adapter = (overrides: Parameters<typeof chatwootAdapterFor>[2] = {}) =>
      chatwootAdapterFor(harness, { requestTimeoutMs: 2_000 }, overrides);
    const url = 'https://runtime.example.test/webhooks/chatwoot';
    await adapter().verifySettings?.();
    await adapter({ userToken: 'unknown-token' }).verifySettings?.();
    await adapter({ accountId: 99 }).verifySettings?.();
    await adapter({ inboxId: 42 }).verifySettings?.();
    await adapter({ agentBotId: 77 }).verifySettings?.();
    await adapter().registerWebhook?.({ url });
    await adapter().registerWebhook?.({ url });
    const other = 'https://runtime.example.test/webhooks/chatwoot-2';
    harness.fake.addAccountWebhook({ url: other, subscriptions: ['message_created'] });
    await adapter().registerWebhook?.({ url: other });
    await adapter({ userToken: harness.fake.tokens.agent })
      .registerWebhook?.({ url })
      .catch(() => undefined);
    return harness.fake.requests;
  } finally {
    await harness.close?.();
  }
}

describe.skipIf('missing' in loaded)("requests against Chatwoot's official OpenAPI document", () => {
  const document = 'document' in loaded ? compileOpenApiDocument(loaded.document) : undefined;
  const validator =
    document === undefined
      ? undefined
      : createOpenApiRequestValidator(document, { credentialSchemes: { bot: 'agentBotApiKey' } });
  const responses = document === undefined ? undefined : createOpenApiResponseValidator(document);
  /** Every answer the fake modelled (not injected faults), checked against the document. */
  const answerProblems = (requests: readonly RecordedRequest[]) =>
    requests.flatMap((request) =>
      request.response === undefined || request.fault !== undefined
        ? []
        : (responses?.check(request, request.response) ?? []),
    );

  for (const configuration of ['bot token', 'user token only'] as const) {
    it(`every request of a conformance run (${configuration}) matches the document, but for documented exceptions`, async () => {
      const requests = await requestsOfConformanceRun(configuration);
      expect(requests.length).toBeGreaterThan(100);
      const problems = requests.flatMap((request) => validator?.check(request) ?? []);
      expect(unexplainedProblems(problems, chatwootSpecExceptions)).toEqual([]);
    }, 120_000);
  }

  it('every request of the agent bot (internal mode) matches the document, but for documented exceptions', async () => {
    const requests = await agentBotRun();
    expect(requests.length).toBeGreaterThan(20);
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    expect(unexplainedProblems(problems, chatwootSpecExceptions)).toEqual([]);
  }, 120_000);

  it('every request of the settings checks and webhook registrations matches the document, but for documented exceptions', async () => {
    const requests = await settingsRun();
    expect(requests.length).toBeGreaterThan(10);
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    expect(unexplainedProblems(problems, chatwootSpecExceptions)).toEqual([]);
  }, 60_000);

  it('every answer the fake gave in those runs matches the document, but for documented exceptions', async () => {
    const requests = [
      ...(await requestsOfConformanceRun('bot token')),
      ...(await requestsOfConformanceRun('user token only')),
      ...(await agentBotRun()),
      ...(await settingsRun()),
    ];
    expect(requests.filter((request) => request.response !== undefined).length).toBeGreaterThan(200);
    expect(unexplainedProblems(answerProblems(requests), chatwootResponseExceptions)).toEqual([]);
    expect(unusedExceptions(answerProblems(requests), chatwootResponseExceptions)).toEqual([]);
  }, 120_000);

  it('needs every documented exception (none is stale)', async () => {
    const requests = [
      ...(await requestsOfConformanceRun('bot token')),
      ...(await requestsOfConformanceRun('user token only')),
      ...(await agentBotRun()),
      ...(await settingsRun()),
    ];
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    expect(unusedExceptions(problems, chatwootSpecExceptions)).toEqual([]);
  }, 120_000);
});
