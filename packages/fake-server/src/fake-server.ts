/**
 * A fake support system's server in one call: listens on 127.0.0.1, builds the fake's context once
 * the base URL is known, and runs every request through the pipeline (faults, rate limit, routes,
 * recording). The fake itself keeps only its vendor's records, views and routes.
 */
import type { FakeRoute } from './fake-router.js';
import type { FakeFaultControls } from './fault-queue.js';
import { startLoopbackServer } from './loopback-server.js';
import type { RecordedRequest } from './recorded-request.js';
import {
  createRequestPipeline,
  type FakeAuthentication,
  type RequestPipelineSettings,
} from './request-pipeline.js';

export interface FakeServerSettings<
  Context,
  Route extends FakeRoute<never>,
  Authentication extends FakeAuthentication,
> extends Omit<RequestPipelineSettings<Context, Route, Authentication>, 'context' | 'baseUrl'> {
  /** Builds what the routes work with (state, webhooks, clock), given the server's base URL. */
  context: (baseUrl: string) => Context;
}

/** A running fake server. */
export interface FakeServer<Context, AuthOutcome extends string> {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  context: Context;
  /** Every request not made by the harness, in order of arrival. */
  requests: Array<RecordedRequest<AuthOutcome>>;
  /** Injected and random faults; spread into the fake's public object. */
  faults: FakeFaultControls;
  /** Stops the server and drops every socket, including those a `timeout` fault holds open. */
  close(): Promise<void>;
}

export async function startFakeServer<
  Context,
  Route extends FakeRoute<never>,
  Authentication extends FakeAuthentication,
>(
  settings: FakeServerSettings<Context, Route, Authentication>,
): Promise<FakeServer<Context, Authentication['outcome']>> {
  const server = await startLoopbackServer();
  const context = settings.context(server.baseUrl);
  const pipeline = createRequestPipeline({ ...settings, context, baseUrl: server.baseUrl });
  server.serve(pipeline.listener);
  return {
    baseUrl: server.baseUrl,
    context,
    requests: pipeline.requests,
    faults: pipeline.faults,
    close: () => server.close(),
  };
}
