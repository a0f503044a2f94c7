export { type BotHostPoint, type BotHostPointContext, botHostPoint } from './bot-host/bot-host-point.js';
export { botHostPoints } from './bot-host/bot-host-points.js';
export type { BotHostTarget } from './bot-host/bot-host-target.js';
export { describeBotHostAdapter } from './bot-host/describe-bot-host-adapter.js';
export {
  type RunBotHostOptions,
  runBotHostConformance,
  runBotHostPoint,
} from './bot-host/run-bot-host-conformance.js';
export {
  acceptingUnverifiedBotWebhooks,
  acceptingUnverifiedWebhooks,
  closingNothing,
  failedPointIds,
  transferringToTheFirstTeam,
} from './broken-variants.js';
export {
  ConformanceFailure,
  check,
  checkEqual,
  expectSupportError,
  expectVerificationError,
} from './check.js';
export type {
  AdapterContext,
  ConformanceOptions,
  ConformanceTarget,
  LiveConformanceTarget,
} from './conformance-target.js';
export { type ContractPoint, contractPoint, type PointContext } from './contract-point.js';
export { describeHandoffStorage, type HandoffStorageTarget } from './describe-handoff-storage.js';
export { describeSupportAdapter } from './describe-support-adapter.js';
export { formatPointResult, formatReport } from './format-report.js';
export { contractPoints } from './points/index.js';
export { type CliOutput, cliUsage, runCli } from './run-cli.js';
export {
  type ConformanceReport,
  type PointResult,
  type PointStatus,
  type RunConformanceOptions,
  runConformance,
  runContractPoint,
} from './run-conformance.js';
export {
  type CompiledOpenApiDocument,
  compileOpenApiDocument,
  type OpenApiDocument,
  type SpecProblem,
} from './spec-check/openapi-document.js';
export {
  type CheckedRequest,
  createOpenApiRequestValidator,
  type RequestProblem,
  type RequestValidatorSettings,
} from './spec-check/openapi-request-validator.js';
export {
  type CheckedResponse,
  createOpenApiResponseValidator,
  type ResponseProblem,
} from './spec-check/openapi-response-validator.js';
export { type RecordedRun, recordedRuns, type WatchedFake } from './spec-check/recorded-runs.js';
export { type SpecException, unexplainedProblems, unusedExceptions } from './spec-check/spec-exceptions.js';
export { describeHandoffStores } from './stores/describe-handoff-stores.js';
export { handoffStoresPoints } from './stores/handoff-stores-points.js';
export type { HandoffStoresTarget } from './stores/handoff-stores-target.js';
export { runStorePoints, type StorePointResult } from './stores/run-store-points.js';
export type { StorePoint, StorePointContext, StorePointNeed } from './stores/store-point.js';
