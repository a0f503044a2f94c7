export { callWithDeadline, type DeadlineOptions } from './call-with-deadline.js';
export {
  codeForStatus,
  describeVendorBody,
  type ErrorContext,
  errorFromResponse,
  errorFromTransportFailure,
  invalidResponseError,
} from './error-mapping.js';
export { type HeaderBag, readHeader } from './read-header.js';
export { parseRetryAfter } from './retry-after.js';
export {
  computeHmac,
  type HmacOptions,
  type SignatureAlgorithm,
  signTimestampedBody,
  type TimestampedSignatureOptions,
  timingSafeEqualText,
  verifyTimestampedSignature,
} from './webhook-signature.js';
