import {
  compileOpenApiDocument,
  createOpenApiRequestValidator,
  createOpenApiResponseValidator,
  recordedRuns,
  runBotHostConformance,
  runConformance,
  type SpecProblem,
  unexplainedProblems,
  unusedExceptions,
} from '@handoff/conformance';
import type { WebhookRequest } from '@handoff/core';
import type { RecordedRequest } from '@handoff/fake-server';
import { describe, expect, it } from 'vitest';
import {
  createSunshineBotHostHarness,
  createSunshineHarness,
  type FakeSunshine,
  sunshineAdapterFor,
  sunshineSwitchboardBotFor,
} from '../../src/testing/index.js';
import { eventSchemas, loadOpenApiDocument } from './openapi-document.js';
import { sunshineResponseExceptions, sunshineSpecExceptions } from './spec-exceptions.js';

interface Run {
  /** Calls to Sunshine Conversations, with the paths as the document has them (`/v2/apps/...`, no `/sc`). */
  sunshine: RecordedRequest[];
  /** Calls to the Zendesk Support API (`/api/v2/...`): another document (FIDELITY.md). */
  zendesk: RecordedRequest[];
  webhooks: WebhookRequest[];
}

/** The calls to Sunshine Conversations (paths as the document has them, no `/sc`) and to the Support API. */
function split(fakes: readonly FakeSunshine[], webhooks: WebhookRequest[]): Run {
  const requests = fakes.flatMap((fake) => fake.requests);
  return {
    sunshine: requests
      .filter((request) => request.path.startsWith('/sc/'))
      .map((request) => ({ ...request, path: request.path.slice('/sc'.length) })),
    zendesk: requests.filter((request) => request.path.startsWith('/api/v2/')),
    webhooks,
  };
}

const recorded = recordedRuns<'external' | 'internal', FakeSunshine>({
  external: (watch) =>
    runConformance(
      {
        name: 'sunshine, spec check',
        harness: async () => {
          const harness = await createSunshineHarness();
          watch(harness.fake);
          return harness;
        },
        createAdapter: (harness, context) => sunshineAdapterFor(harness.fake, context),
      },
      { requestTimeoutMs: 1_000 },
    ),
  internal: (watch) =>
    runBotHostConformance(
      {
        name: 'sunshine switchboard bot, spec check',
        harness: async () => {
          const harness = await createSunshineBotHostHarness();
          watch(harness.fake);
          return harness;
        },
        createAdapter: (harness, context) => sunshineSwitchboardBotFor(harness.fake, context),
      },
      { requestTimeoutMs: 1_000 },
    ),
});

/** Every request the adapter sent, and every webhook the fake sent, in one conformance run of a mode. */
async function conformanceRun(mode: 'external' | 'internal'): Promise<Run> {
  const { fakes, webhooks } = await recorded(mode);
  return split(fakes, webhooks);
}

describe("the adapter's requests and the fake's answers against Sunshine Conversations' OpenAPI document (17.12.1)", () => {
  const document = compileOpenApiDocument(loadOpenApiDocument());
  const requests = createOpenApiRequestValidator(document);
  const responses = createOpenApiResponseValidator(document);
  const errorResponse = document.validatorAt('#/components/schemas/errorResponse');

  const answerProblems = (recorded: readonly RecordedRequest[]): SpecProblem[] =>
    recorded.flatMap((request) =>
      request.response === undefined || request.fault !== undefined
        ? []
        : responses.check(request, request.response),
    );

  for (const mode of ['external', 'internal'] as const) {
    it(`${mode} mode: every request of a conformance run matches the document, but for documented exceptions`, async () => {
      const { sunshine, zendesk } = await conformanceRun(mode);
      expect(sunshine.length).toBeGreaterThan(mode === 'external' ? 200 : 15);
      expect(zendesk.length).toBeGreaterThan(0);
      // Every call carries the app key (HTTP Basic): the document's basicAuth.
      expect(sunshine.filter((request) => !/^Basic /.test(request.headers.authorization ?? ''))).toEqual([]);
      // The Support API is not in this document: its calls are List Groups with cursor pagination
      // (developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups), Basic {email}/token.
      const zendeskCalls = zendesk.map(
        (request) => `${request.method} ${request.path} ${Object.keys(request.query).sort().join(',')}`,
      );
      expect(
        zendeskCalls.filter((call) => !/^GET \/api\/v2\/groups (page\[after\],)?page\[size\]$/.test(call)),
      ).toEqual([]);
      expect(zendesk.filter((request) => Number(request.query['page[size]']) > 100)).toEqual([]);
      const problems = sunshine.flatMap((request) => requests.check(request));
      expect(unexplainedProblems(problems, sunshineSpecExceptions)).toEqual([]);
    }, 120_000);

    it(`${mode} mode: every answer the fake modelled matches the document, 4xx answers included`, async () => {
      const { sunshine } = await conformanceRun(mode);
      const answered = sunshine.filter(
        (request) => request.response !== undefined && request.fault === undefined,
      );
      // The external run meets the 4xx answers (409 on a user, 404 on a conversation) too.
      if (mode === 'external')
        expect(answered.some((request) => (request.response?.status ?? 0) >= 400)).toBe(true);
      const problems = answerProblems(sunshine);
      expect(unexplainedProblems(problems, sunshineResponseExceptions)).toEqual([]);
    }, 120_000);

    it(`${mode} mode: injected faults are answered in the error model {errors:[{code,title}]} (but for the malformed body)`, async () => {
      const { sunshine } = await conformanceRun(mode);
      const faulted = sunshine.filter(
        (request) => request.fault !== undefined && request.response !== undefined,
      );
      expect(faulted.length).toBeGreaterThan(0);
      const misshapen = faulted.filter(
        (request) =>
          request.fault !== 'malformed_body' &&
          request.fault !== 'lost_answer' &&
          errorResponse?.(request.response?.body) !== true,
      );
      expect(
        misshapen.map((request) => `${request.fault}: ${JSON.stringify(request.response?.body)}`),
      ).toEqual([]);
    }, 120_000);

    it(`${mode} mode: every webhook the fake sent is the document's EventWebhooks body, each event its type's schema, with X-API-Key`, async () => {
      const { webhooks } = await conformanceRun(mode);
      expect(webhooks.length).toBeGreaterThan(20);
      const problems: string[] = [];
      const types = new Set<string>();
      for (const delivery of webhooks) {
        if (delivery.headers['x-api-key'] === undefined) problems.push('a delivery without X-API-Key');
        const body = JSON.parse(delivery.body) as { app?: unknown; webhook?: unknown; events?: unknown[] };
        if (!document.validatorAt('#/components/schemas/appSubSchema')?.(body.app)) problems.push('app');
        if (!document.validatorAt('#/components/schemas/webhookSubSchema')?.(body.webhook))
          problems.push('webhook');
        for (const event of body.events ?? []) {
          const type = (event as { type?: string }).type ?? '';
          types.add(type);
          const schema = eventSchemas[type];
          const validate =
            schema === undefined ? undefined : document.validatorAt(`#/components/schemas/${schema}`);
          if (validate === undefined) problems.push(`no schema for ${type}`);
          else if (validate(event) !== true) problems.push(`${type}: ${JSON.stringify(validate.errors)}`);
        }
      }
      expect(problems).toEqual([]);
      expect([...types].sort()).toEqual(
        expect.arrayContaining([
          'conversation:message',
          'switchboard:passControl',
          'switchboard:releaseControl',
        ]),
      );
    }, 120_000);
  }

  it('needs every documented exception, requests and answers (none is stale), over both runs', async () => {
    const sunshine = [
      ...(await conformanceRun('external')).sunshine,
      ...(await conformanceRun('internal')).sunshine,
    ];
    expect(
      unusedExceptions(
        sunshine.flatMap((request) => requests.check(request)),
        sunshineSpecExceptions,
      ),
    ).toEqual([]);
    expect(unusedExceptions(answerProblems(sunshine), sunshineResponseExceptions)).toEqual([]);
  }, 120_000);
});
