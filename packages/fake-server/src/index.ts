export { type FakeErrorResponses, genericErrorResponses } from './error-responses.js';
export { type FakeHttpResponse, jsonResponse } from './fake-http-response.js';
export { FakeRefusal, refuse } from './fake-refusal.js';
export {
  createFakeRouter,
  decodePathSegment,
  type FakeHttpMethod,
  type FakeRoute,
  type FakeRouter,
  type RouteMatch,
} from './fake-router.js';
export { type FakeServer, type FakeServerSettings, startFakeServer } from './fake-server.js';
export type { FakeFault, FakeFaultControls, RandomFaultKind, RandomFaults } from './fault-queue.js';
export {
  createHarnessClient,
  type HarnessClient,
  type HarnessClientSettings,
} from './harness-client.js';
export { type LoopbackServer, startLoopbackServer } from './loopback-server.js';
export type { RateLimitFigures, RateLimitSettings } from './rate-limiter.js';
export type { RecordedRequest, RecordedResponse } from './recorded-request.js';
export type { ParsedBody, UploadedFile } from './request-body.js';
export {
  createRequestPipeline,
  type FakeAuthentication,
  type FakeCaller,
  type FakeRequest,
  type RequestPipelineSettings,
  type RouteRequestOf,
} from './request-pipeline.js';
export {
  createWebhookRecorder,
  type WebhookRecorder,
  type WebhookRecorderSettings,
} from './webhook-recorder.js';
export {
  createWebhookSender,
  type WebhookListener,
  type WebhookOrder,
  type WebhookPayload,
  type WebhookSender,
  type WebhookSenderSettings,
} from './webhook-sender.js';
