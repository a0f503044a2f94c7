import {
  compileOpenApiDocument,
  createOpenApiRequestValidator,
  createOpenApiResponseValidator,
  runConformance,
  type SpecProblem,
  unexplainedProblems,
  unusedExceptions,
} from '@handoff/conformance';
import { describe, expect, it } from 'vitest';
import { createIntercomAdapter } from '../../src/intercom-adapter.js';
import {
  createIntercomHarness,
  type IntercomHarness,
  intercomSettingsFor,
  type RecordedRequest,
} from '../../src/testing/index.js';
import { loadOpenApiDocument } from './openapi-document.js';
import { intercomResponseExceptions, intercomSpecExceptions } from './spec-exceptions.js';

const loaded = loadOpenApiDocument();
if ('missing' in loaded) console.info(`Intercom spec check skipped: ${loaded.missing}`);

const runs = new Map<string, Promise<RecordedRequest[]>>();

/** Every request the adapter sent during one conformance run per configuration (run once each). */
function requestsOf(botTurns: 'note' | 'comment') {
  let run = runs.get(botTurns);
  if (run === undefined) {
    run = (async () => {
      const harnesses: IntercomHarness[] = [];
      const report = await runConformance(
        {
          name: `intercom, bot turns as ${botTurns}`,
          harness: async () => {
            const harness = await createIntercomHarness();
            harnesses.push(harness);
            return harness;
          },
          createAdapter: (harness, context) =>
            createIntercomAdapter({
              ...intercomSettingsFor(harness.fake),
              requestTimeoutMs: context.requestTimeoutMs,
              replayGuard: context.replayGuard,
              botTurns,
              env: {},
            }),
        },
        { requestTimeoutMs: 1_000 },
      );
      expect(report.failed).toBe(0);
      return harnesses.flatMap((harness) => harness.fake.requests);
    })();
    runs.set(botTurns, run);
  }
  return run;
}

let lifecycleRun: Promise<RecordedRequest[]> | undefined;

/**
 * The requests of handoffs for users whose contacts were archived or deleted in Intercom (paths
 * the kit does not walk): unarchiving, creating around someone else's archived contact, a
 * remembered contact answering 404, a deleted contact refusing to be restored.
 */
function requestsOfContactLifecycle(): Promise<RecordedRequest[]> {
  lifecycleRun ??= (async () => {
    const harness = await createIntercomHarness();
    try {
      const adapter = () => createIntercomAdapter({ ...intercomSettingsFor(harness.fake), env: {} });
      const handOff = async (target: ReturnType<typeof adapter>, user: { id: string; email?: string }) => {
        const { supportUserId } = await target.ensureUser({ user });
        await target.openConversation({ supportUserId, sessionId: user.id, handoffId: user.id });
        return supportUserId;
      };
      const archived = await handOff(adapter(), { id: 'archived', email: 'archived@example.test' });
      harness.fake.archiveContact(archived);
      await handOff(adapter(), { id: 'archived', email: 'archived@example.test' });
      const other = await handOff(adapter(), { id: 'other', email: 'shared@example.test' });
      harness.fake.archiveContact(other);
      await handOff(adapter(), { id: 'newcomer', email: 'shared@example.test' });
      const remembering = adapter();
      const remembered = await handOff(remembering, { id: 'remembered' });
      harness.fake.archiveContact(remembered);
      await expect(handOff(remembering, { id: 'remembered' })).rejects.toMatchObject({ code: 'not_found' });
      await handOff(remembering, { id: 'remembered' });
      const deleted = await handOff(adapter(), { id: 'deleted' });
      harness.fake.deleteContact(deleted);
      await expect(adapter().ensureUser({ user: { id: 'deleted' } })).rejects.toMatchObject({
        code: 'conflict',
      });
      return [...harness.fake.requests];
    } finally {
      await harness.close?.();
    }
  })();
  return lifecycleRun;
}

let settingsRun: Promise<RecordedRequest[]> | undefined;

/** The requests of settings checks (paths the kit does not walk): good, a refused token, another admin, an unknown one. */
function requestsOfSettingsChecks(): Promise<RecordedRequest[]> {
  settingsRun ??= (async () => {
    const harness = await createIntercomHarness();
    try {
      const adapter = (overrides: { accessToken?: string; botAdminId?: string } = {}) =>
        createIntercomAdapter({ ...intercomSettingsFor(harness.fake), env: {}, ...overrides });
      expect(await adapter().verifySettings?.()).toEqual([]);
      expect(await adapter({ accessToken: 'wrong-token' }).verifySettings?.()).toHaveLength(1);
      expect(await adapter({ botAdminId: '991267460' }).verifySettings?.()).toEqual([]);
      expect(await adapter({ botAdminId: '42' }).verifySettings?.()).toHaveLength(1);
      return [...harness.fake.requests];
    } finally {
      await harness.close?.();
    }
  })();
  return settingsRun;
}

const allRequests = async () => [
  ...(await requestsOf('note')),
  ...(await requestsOf('comment')),
  ...(await requestsOfContactLifecycle()),
  ...(await requestsOfSettingsChecks()),
];

describe.skipIf('missing' in loaded)("requests against Intercom's official OpenAPI document (2.14)", () => {
  const document = 'document' in loaded ? compileOpenApiDocument(loaded.document) : undefined;
  const validator = document === undefined ? undefined : createOpenApiRequestValidator(document);
  const responses = document === undefined ? undefined : createOpenApiResponseValidator(document);
  const errorSchema = document?.validatorAt('#/components/schemas/error');

  /** The answers the fake modelled (not injected faults), checked against the document. */
  const answerProblems = (requests: readonly RecordedRequest[]): SpecProblem[] =>
    requests.flatMap((request) =>
      request.response === undefined || request.fault !== undefined
        ? []
        : (responses?.check(request, request.response) ?? []),
    );

  for (const botTurns of ['note', 'comment'] as const) {
    it(`every request of a conformance run (bot turns as ${botTurns}) matches the document, but for documented exceptions`, async () => {
      const requests = await requestsOf(botTurns);
      expect(requests.length).toBeGreaterThan(100);
      const problems = requests.flatMap((request) => validator?.check(request) ?? []);
      expect(unexplainedProblems(problems, intercomSpecExceptions)).toEqual([]);
      // Every call names the API version, so the app's default version never decides.
      expect(requests.filter((request) => request.headers['intercom-version'] !== '2.14')).toEqual([]);
    }, 120_000);
  }

  it('every request of the archived and deleted contact handoffs matches the document, but for documented exceptions', async () => {
    const requests = await requestsOfContactLifecycle();
    const unarchives = requests.filter((request) => request.path.endsWith('/unarchive'));
    expect(unarchives.map((request) => request.response?.status).sort()).toEqual([200, 200, 400]);
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    expect(unexplainedProblems(problems, intercomSpecExceptions)).toEqual([]);
  }, 120_000);

  it('every request of the settings checks matches the document, but for documented exceptions', async () => {
    const requests = await requestsOfSettingsChecks();
    expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /me',
      'GET /me',
      'GET /me',
      'GET /admins/991267460',
      'GET /me',
      'GET /admins/42',
    ]);
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    expect(unexplainedProblems(problems, intercomSpecExceptions)).toEqual([]);
  }, 60_000);

  it('needs every documented request exception (none is stale)', async () => {
    const problems = (await allRequests()).flatMap((request) => validator?.check(request) ?? []);
    expect(unusedExceptions(problems, intercomSpecExceptions)).toEqual([]);
  }, 120_000);

  it('every answer the fake gave in those runs (and the contact handoffs) matches the document, but for documented exceptions', async () => {
    const requests = await allRequests();
    const answered = requests.filter(
      (request) => request.response !== undefined && request.fault === undefined,
    );
    expect(answered.length).toBeGreaterThan(200);
    // Not only successes: the 4xx answers the adapter meets are checked too.
    expect(answered.some((request) => (request.response?.status ?? 0) >= 400)).toBe(true);
    expect(unexplainedProblems(answerProblems(requests), intercomResponseExceptions)).toEqual([]);
  }, 120_000);

  it('needs every documented answer exception (none is stale)', async () => {
    expect(unusedExceptions(answerProblems(await allRequests()), intercomResponseExceptions)).toEqual([]);
  }, 120_000);

  it('answers injected faults with JSON bodies shaped like the error model (but for the malformed body)', async () => {
    const faulted = (await allRequests()).filter(
      (request) => request.fault !== undefined && request.response !== undefined,
    );
    expect(new Set(faulted.map((request) => request.fault))).toEqual(
      new Set([
        'unauthorized',
        'rate_limited',
        'server_error',
        'http_status',
        'malformed_body',
        'lost_answer',
      ]),
    );
    // A lost answer is a real answer that never left; a malformed body is malformed on purpose.
    const misshapen = faulted.filter(
      (request) =>
        request.fault !== 'malformed_body' &&
        request.fault !== 'lost_answer' &&
        errorSchema?.(request.response?.body) !== true,
    );
    expect(misshapen.map((request) => `${request.fault}: ${JSON.stringify(request.response?.body)}`)).toEqual(
      [],
    );
  }, 120_000);
});
