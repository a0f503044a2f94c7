import { SupportError } from '@handoff/core';
import {
  type AnyOperation,
  allOperations,
  type BrokenAdapter,
  changeOperations,
  everyErrorPoint,
  type Operation,
  reference,
  rewritingErrors,
  supportErrorLike,
  swallowing,
} from './broken-adapter.js';

/** The signal is not passed on by `operations`. */
const droppingSignal = (operations: readonly AnyOperation[]) =>
  Object.fromEntries(
    operations.map((name) => [
      name,
      (original: Operation) =>
        (options: Record<string, unknown> = {}) => {
          const { signal: _dropped, ...rest } = options;
          return original(rest);
        },
    ]),
  );

/** `status` answers of `operations` marked retryable (or not) against the contract. */
const retryableWhen =
  (
    operations: readonly AnyOperation[],
    status: (status: number | undefined) => boolean,
    retryable: boolean,
  ): BrokenAdapter['create'] =>
  (harness, context) =>
    rewritingErrors(reference(harness, context), operations, (error) =>
      status(error.status) ? supportErrorLike(error, { retryable }) : error,
    );

/** Bugs where one operation breaks a rule the others keep. */
export const oneOperationBugs: Record<string, BrokenAdapter> = {
  'ignores the abort signal in transfer only': {
    kind: 'one operation, not the others',
    create: (harness, context) => changeOperations(reference(harness, context), droppingSignal(['transfer'])),
    fails: ['abort/transfer'],
  },
  'checks the signal before postMessages starts, then drops it': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        postMessages: (post) => (options) => {
          const { signal, ...rest } = options as { signal?: AbortSignal };
          if (signal?.aborted) return post(options);
          return post(rest);
        },
      }),
    fails: ['abort/postMessages'],
  },
  'ignores the abort signal when catching up': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      changeOperations(reference(harness, context), droppingSignal(['syncConversation'])),
    fails: ['abort/syncConversation'],
  },
  'records an aborted webhook delivery before it stops': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        handleWebhook: (handle) => async (options) => {
          const { signal, ...rest } = options as { signal?: AbortSignal };
          const result = await handle(rest);
          if (signal?.aborted) throw new SupportError({ code: 'aborted', message: 'aborted' });
          return result;
        },
      }),
    fails: ['abort/handleWebhook'],
  },
  'marks a 422 retryable in postMessages': {
    kind: 'one operation, not the others',
    create: retryableWhen(['postMessages'], (status) => status === 422, true),
    fails: ['errors/postMessages', 'limits/messages-per-post', 'limits/attachment-size'],
  },
  'marks a 404 retryable in closeSession': {
    kind: 'one operation, not the others',
    create: retryableWhen(['closeSession'], (status) => status === 404, true),
    fails: ['errors/closeSession', 'errors/unknown-conversation'],
  },
  'marks a 403 retryable everywhere': {
    kind: 'one operation, not the others',
    create: retryableWhen(allOperations, (status) => status === 403, true),
    fails: everyErrorPoint,
  },
  'marks a 409 retryable in openConversation': {
    kind: 'one operation, not the others',
    create: retryableWhen(['openConversation'], (status) => status === 409, true),
    fails: ['errors/openConversation'],
  },
  'marks a 400 retryable in transfer': {
    kind: 'one operation, not the others',
    create: retryableWhen(['transfer'], (status) => status === 400, true),
    fails: ['errors/transfer'],
  },
  'marks a 429 final in listTeams': {
    kind: 'one operation, not the others',
    create: retryableWhen(['listTeams'], (status) => status === 429, false),
    fails: ['errors/listTeams'],
  },
  'marks a 5xx final in teamAvailability': {
    kind: 'one operation, not the others',
    create: retryableWhen(['teamAvailability'], (status) => (status ?? 0) >= 500, false),
    fails: ['errors/teamAvailability'],
  },
  'loses the Retry-After of a 429 in postMessages': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      rewritingErrors(reference(harness, context), ['postMessages'], (error) =>
        error.code === 'rate_limited'
          ? new SupportError({ code: 'rate_limited', message: error.message })
          : error,
      ),
    fails: ['errors/postMessages'],
  },
  'has no call timeout in transfer': {
    kind: 'one operation, not the others',
    create: (harness, context) => {
      const patient = reference(harness, context, { requestTimeoutMs: 600_000 });
      return changeOperations(reference(harness, context), {
        transfer: () => (options) => patient.transfer(options as never),
      });
    },
    fails: ['errors/transfer'],
  },
  'reports a connection reset as invalid_response in closeSession': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      rewritingErrors(reference(harness, context), ['closeSession'], (error) =>
        error.code === 'network'
          ? supportErrorLike(error, { code: 'invalid_response', retryable: false })
          : error,
      ),
    fails: ['errors/closeSession', 'recover/closeSession'],
  },
  'takes a malformed answer for no news when catching up': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        syncConversation: swallowing(
          (error) => error.code === 'invalid_response',
          () => ({ events: [] }),
        ),
      }),
    fails: ['errors/syncConversation'],
  },
  'swallows a 5xx in closeSession as if it had closed': {
    kind: 'one operation, not the others',
    create: (harness, context) =>
      changeOperations(reference(harness, context), {
        closeSession: swallowing(
          (error) => error.code === 'unavailable',
          () => undefined,
        ),
      }),
    fails: ['errors/closeSession'],
  },
};
