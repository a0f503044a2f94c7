import { createOpenApiRequestValidator, type RequestProblem, runConformance } from '@handoff/conformance';
import { describe, expect, it } from 'vitest';
import { createIntercomAdapter } from '../intercom-adapter.js';
import {
  createIntercomHarness,
  type IntercomHarness,
  intercomSettingsFor,
  type RecordedRequest,
} from '../testing/index.js';
import { loadOpenApiDocument } from './openapi-document.js';
import { intercomSpecExceptions } from './spec-exceptions.js';

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

const excused = (problem: RequestProblem) =>
  intercomSpecExceptions.some(
    (exception) =>
      exception.method === problem.method &&
      exception.path === problem.path &&
      exception.field === problem.field,
  );

describe.skipIf('missing' in loaded)("requests against Intercom's official OpenAPI document (2.14)", () => {
  const validator = 'document' in loaded ? createOpenApiRequestValidator(loaded.document) : undefined;

  for (const botTurns of ['note', 'comment'] as const) {
    it(`every request of a conformance run (bot turns as ${botTurns}) matches the document, but for documented exceptions`, async () => {
      const requests = await requestsOf(botTurns);
      expect(requests.length).toBeGreaterThan(100);
      const problems = requests.flatMap((request) => validator?.check(request) ?? []);
      expect(
        problems
          .filter((problem) => !excused(problem))
          .map((problem) => `${problem.method} ${problem.path} ${problem.field}: ${problem.message}`),
      ).toEqual([]);
      // Every call names the API version, so the app's default version never decides.
      expect(requests.filter((request) => request.headers['intercom-version'] !== '2.14')).toEqual([]);
    }, 120_000);
  }

  it('needs every documented exception (none is stale)', async () => {
    const requests = [...(await requestsOf('note')), ...(await requestsOf('comment'))];
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    const unused = intercomSpecExceptions.filter(
      (exception) =>
        !problems.some(
          (problem) =>
            problem.method === exception.method &&
            problem.path === exception.path &&
            problem.field === exception.field,
        ),
    );
    expect(unused.map((exception) => `${exception.method} ${exception.path} ${exception.field}`)).toEqual([]);
  }, 120_000);
});
