import {
  type CompiledOpenApiDocument,
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
  createRocketChatBotHostHarness,
  createRocketChatHarness,
  type FakeRocketChat,
  rocketChatAdapterFor,
  rocketChatBotAgentFor,
} from '../../src/testing/index.js';
import { webhookMessageSchema, webhookPayloadSchema } from '../../src/webhook/rocketchat-webhook-payload.js';
import {
  type DocumentName,
  documentedWebhookSample,
  documentNames,
  loadOpenApiDocument,
} from './openapi-document.js';
import { rocketChatResponseExceptions, rocketChatSpecExceptions } from './spec-exceptions.js';

interface Run {
  /** Every call the adapter (or the bot agent) made, paths as the documents have them (`/api/v1/...`). */
  requests: RecordedRequest[];
  /** Every Livechat webhook the fake sent. */
  webhooks: WebhookRequest[];
}

const recorded = recordedRuns<'external' | 'internal', FakeRocketChat>({
  external: (watch) =>
    runConformance(
      {
        name: 'rocketchat, spec check',
        harness: async () => {
          const harness = await createRocketChatHarness();
          watch(harness.fake);
          return harness;
        },
        createAdapter: (harness, context) => rocketChatAdapterFor(harness.fake, context),
      },
      { requestTimeoutMs: 1_000 },
    ),
  internal: (watch) =>
    runBotHostConformance(
      {
        name: 'rocketchat bot agent, spec check',
        harness: async () => {
          const harness = await createRocketChatBotHostHarness();
          watch(harness.fake);
          return harness;
        },
        createAdapter: (harness, context) => rocketChatBotAgentFor(harness.fake, context),
      },
      { requestTimeoutMs: 1_000 },
    ),
});

/** Every request the adapter sent, and every webhook the fake sent, in one conformance run of a mode. */
async function conformanceRun(mode: 'external' | 'internal'): Promise<Run> {
  const { fakes, webhooks } = await recorded(mode);
  return { requests: fakes.flatMap((fake) => fake.requests), webhooks };
}

/** One document compiled, with the kit's validators over it. */
interface Checked {
  name: DocumentName;
  compiled: CompiledOpenApiDocument;
  requests: ReturnType<typeof createOpenApiRequestValidator>;
  responses: ReturnType<typeof createOpenApiResponseValidator>;
}

/**
 * The header parameters an operation requires (`X-Auth-Token`, `X-User-Id`: the documents model
 * Rocket.Chat's login as required header parameters, not as a security scheme) that the request
 * lacks; the kit's validator reads path, query and body only.
 */
function missingHeaders(document: Checked, request: RecordedRequest): SpecProblem[] {
  const operation = document.compiled.findOperation(request.method, request.path);
  if (operation === undefined) return [];
  const shared = (document.compiled.document.paths[operation.template]?.parameters as unknown[]) ?? [];
  const own = (operation.definition.parameters as unknown[] | undefined) ?? [];
  return [...shared, ...own]
    .map((parameter) => document.compiled.resolve(parameter))
    .filter((parameter) => parameter?.in === 'header' && parameter.required === true)
    .map((parameter) => String(parameter?.name))
    .filter((name) => request.headers[name.toLowerCase()] === undefined)
    .map((name) => ({
      method: request.method,
      path: operation.template,
      field: `header.${name}`,
      message: 'the document requires this header',
    }));
}

/** A fault the fake answered in the route's place (the rest were answered by the routes). */
const answeredByFault = (request: RecordedRequest) =>
  request.fault !== undefined && request.fault !== 'slow' && request.fault !== 'lost_answer';

/**
 * Rocket.Chat's error body: `failure`, `notFound`, `internalError`, `unauthorized`, `forbidden` and
 * `tooManyRequests` all answer `{success: false, error: <string>, ...}`
 * (apps/meteor/app/api/server/ApiClass.ts@019378e3291e412b233a6389a26071f1bec34817).
 */
const isRocketChatError = (body: unknown) =>
  typeof body === 'object' &&
  body !== null &&
  (body as { success?: unknown }).success === false &&
  typeof (body as { error?: unknown }).error === 'string';

/**
 * The fields a Livechat webhook can carry: the documented sample's (omnichannel.yaml,
 * `livechat/webhook.test`), and what Rocket.Chat's sendToCRM builds, the room's guest info
 * (apps/meteor/app/livechat/server/lib/guests.ts@86694605d6694cab1edfd2c33e1d19fd9739a606,
 * getLivechatRoomGuestInfo), `type`, `messages` and the type's fields
 * (apps/meteor/app/livechat/server/hooks/sendToCRM.ts@66dcf2b284ab61c7a2e459ce80dda72e66178001,
 * getAdditionalFieldsByType and the message it builds).
 */
const webhookFields = {
  payload: new Set([
    ...['_id', 'label', 'topic', 'createdAt', 'lastMessageAt', 'tags', 'customFields', 'visitor', 'agent'],
    ...['crmData', 'type', 'messages', 'departmentId', 'servedBy', 'oldDepartmentId', 'oldServedBy'],
    ...['closedAt', 'closedBy', 'closer'],
  ]),
  visitor: new Set([
    ...['_id', 'token', 'name', 'username', 'department', 'ip', 'os', 'browser', 'customFields', 'email'],
    'phone',
  ]),
  agent: new Set(['_id', 'username', 'name', 'customFields', 'email']),
  message: new Set([
    ...['_id', 'username', 'msg', 'blocks', 'ts', 'rid', 'editedAt', 'agentId', 'navigation'],
    ...['closingMessage', 'file', 'attachments', 'u', '_updatedAt'],
  ]),
};

/** The fields of `value` that `known` does not list, as `at.field`. */
const unknownFields = (value: unknown, known: ReadonlySet<string>, at: string): string[] =>
  typeof value === 'object' && value !== null
    ? Object.keys(value)
        .filter((key) => !known.has(key))
        .map((key) => `${at}.${key}`)
    : [];

describe("the adapter's requests and the fake's answers against Rocket.Chat's OpenAPI documents (Rocket.Chat-Open-API c9aec5a)", () => {
  const documents: Checked[] = documentNames.map((name) => {
    const compiled = compileOpenApiDocument(loadOpenApiDocument(name));
    return {
      name,
      compiled,
      requests: createOpenApiRequestValidator(compiled),
      responses: createOpenApiResponseValidator(compiled),
    };
  });
  /** The document that has the request's operation (no path is in two of them). */
  const documentOf = (request: RecordedRequest) =>
    documents.find((document) => document.compiled.findOperation(request.method, request.path) !== undefined);

  const requestProblems = (recorded: readonly RecordedRequest[]): SpecProblem[] =>
    recorded.flatMap((request) => {
      const document = documentOf(request);
      if (document === undefined) {
        return [
          {
            method: request.method,
            path: request.path,
            field: 'operation',
            message: `none of the documents (${documentNames.join(', ')}) has this operation`,
          },
        ];
      }
      return [...document.requests.check(request), ...missingHeaders(document, request)];
    });

  const answerProblems = (recorded: readonly RecordedRequest[]): SpecProblem[] =>
    recorded.flatMap((request) => {
      const document = documentOf(request);
      return request.response === undefined || answeredByFault(request) || document === undefined
        ? []
        : document.responses.check(request, request.response);
    });

  for (const mode of ['external', 'internal'] as const) {
    it(`${mode} mode: every request of a conformance run matches the documents, but for documented exceptions`, async () => {
      const { requests } = await conformanceRun(mode);
      expect(requests.length).toBeGreaterThan(mode === 'external' ? 200 : 15);
      // The documents' paths carry the API prefix, as the requests do.
      expect(requests.filter((request) => !request.path.startsWith('/api/v1/'))).toEqual([]);
      const problems = requestProblems(requests);
      expect(new Set(unexplainedProblems(problems, rocketChatSpecExceptions))).toEqual(new Set());
    }, 120_000);

    it(`${mode} mode: every answer the fake modelled matches the documents, 4xx answers included`, async () => {
      const { requests } = await conformanceRun(mode);
      const answered = requests.filter(
        (request) => request.response !== undefined && !answeredByFault(request),
      );
      // Both runs meet Rocket.Chat's 400 answers (`invalid-token` on an unknown visitor, and the like).
      expect(answered.some((request) => (request.response?.status ?? 0) >= 400)).toBe(true);
      const problems = answerProblems(requests);
      expect(new Set(unexplainedProblems(problems, rocketChatResponseExceptions))).toEqual(new Set());
    }, 120_000);

    it(`${mode} mode: injected faults are answered in Rocket.Chat's error body {success:false, error} (but for the malformed body)`, async () => {
      const { requests } = await conformanceRun(mode);
      const faulted = requests.filter(
        (request) => answeredByFault(request) && request.response !== undefined,
      );
      expect(faulted.length).toBeGreaterThan(0);
      const misshapen = faulted.filter(
        (request) => request.fault !== 'malformed_body' && !isRocketChatError(request.response?.body),
      );
      expect(
        misshapen.map((request) => `${request.fault}: ${JSON.stringify(request.response?.body)}`),
      ).toEqual([]);
    }, 120_000);

    it(`${mode} mode: every webhook the fake sent is a Livechat webhook the package reads (its zod schema: the documents have no webhook schema), of Rocket.Chat's fields only, with X-RocketChat-Livechat-Token`, async () => {
      const { webhooks } = await conformanceRun(mode);
      expect(webhooks.length).toBeGreaterThan(10);
      const problems: string[] = [];
      const types = new Set<string>();
      for (const delivery of webhooks) {
        if (delivery.headers['x-rocketchat-livechat-token'] === undefined)
          problems.push('a delivery without X-RocketChat-Livechat-Token');
        const payload = webhookPayloadSchema.safeParse(JSON.parse(delivery.body));
        if (!payload.success) {
          problems.push(`payload: ${payload.error.message}`);
          continue;
        }
        types.add(payload.data.type);
        const body = JSON.parse(delivery.body) as Record<string, unknown>;
        problems.push(
          ...unknownFields(body, webhookFields.payload, payload.data.type),
          ...unknownFields(body.visitor, webhookFields.visitor, `${payload.data.type}.visitor`),
          ...unknownFields(body.agent, webhookFields.agent, `${payload.data.type}.agent`),
        );
        for (const message of payload.data.messages ?? []) {
          const parsed = webhookMessageSchema.safeParse(message);
          if (!parsed.success) problems.push(`${payload.data.type} message: ${parsed.error.message}`);
          problems.push(...unknownFields(message, webhookFields.message, `${payload.data.type}.messages[]`));
        }
      }
      expect(problems).toEqual([]);
      expect([...types].sort()).toEqual(
        expect.arrayContaining(
          mode === 'external'
            ? ['LivechatSession', 'LivechatSessionForwarded', 'LivechatSessionTaken', 'Message']
            : ['LivechatSessionForwarded', 'LivechatSessionTaken', 'Message'],
        ),
      );
    }, 120_000);
  }

  it("reads the documents' only webhook description, the sample body of livechat/webhook.test, as a Livechat webhook", () => {
    const omnichannel = documents.find((document) => document.name === 'omnichannel');
    const sample = documentedWebhookSample(omnichannel?.compiled.document ?? { openapi: '', paths: {} });
    expect(webhookPayloadSchema.safeParse(sample).success).toBe(true);
  });

  it('needs every documented exception, requests and answers (none is stale), over both runs', async () => {
    const requests = [
      ...(await conformanceRun('external')).requests,
      ...(await conformanceRun('internal')).requests,
    ];
    expect(unusedExceptions(requestProblems(requests), rocketChatSpecExceptions)).toEqual([]);
    expect(unusedExceptions(answerProblems(requests), rocketChatResponseExceptions)).toEqual([]);
  }, 120_000);
});
