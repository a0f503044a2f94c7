import {
  createOpenApiRequestValidator,
  runConformance,
  unexplainedProblems,
  unusedExceptions,
} from '@handoff/conformance';
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

describe.skipIf('missing' in loaded)("requests against Intercom's official OpenAPI document (2.14)", () => {
  const validator = 'document' in loaded ? createOpenApiRequestValidator(loaded.document) : undefined;

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

  it('needs every documented exception (none is stale)', async () => {
    const requests = [...(await requestsOf('note')), ...(await requestsOf('comment'))];
    const problems = requests.flatMap((request) => validator?.check(request) ?? []);
    expect(unusedExceptions(problems, intercomSpecExceptions)).toEqual([]);
  }, 120_000);
});
