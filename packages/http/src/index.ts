export { allDone } from './all-done.js';
export { callWithDeadline, type DeadlineOptions } from './call-with-deadline.js';
export {
  codeForStatus,
  describeVendorBody,
  type ErrorContext,
  errorFromResponse,
  errorFromTransportFailure,
  invalidResponseError,
} from './error-mapping.js';
export {
  createHttpClient,
  FormData,
  type HttpClient,
  type HttpClientSettings,
  type HttpRequestOptions,
  type HttpResponse,
} from './http-client.js';
export { parseJsonText, readJsonAnswer } from './json-answer.js';
export { type HeaderBag, readHeader } from './read-header.js';
export { parseRetryAfter } from './retry-after.js';
export { seededRandom } from './seeded-random.js';
export {
  type AdapterLiveObjects,
  requireSecretUnlessUnsigned,
  resolveWithEnvironment,
} from './settings-from-environment.js';
export { parseWebhookJson, refuseReplayedDelivery } from './webhook-delivery.js';
export {
  computeHmac,
  type HmacOptions,
  type SignatureAlgorithm,
  signTimestampedBody,
  type TimestampedSignatureOptions,
  timingSafeEqualText,
  verifyBodySignature,
  verifyTimestampedSignature,
} from './webhook-signature.js';
