import type { SpecProblem as RequestProblem } from './openapi-document.js';

/**
 * Where a vendor's official document and the server's real behaviour differ, one line each, with
 * the proof. A problem (of a request or of an answer) is excused only when method, path template
 * and field all match.
 */
export interface SpecException {
  method: string;
  path: string;
  /** The problem's field, for example `body.source_id` or `response.payload`. */
  field: string;
  /** Why the document is wrong here, citing the vendor's source or published behaviour. */
  why: string;
}

const matches = (exception: SpecException, problem: RequestProblem) =>
  exception.method === problem.method && exception.path === problem.path && exception.field === problem.field;

/** The problems no exception explains, one line each (`METHOD path field: message`). */
export function unexplainedProblems(
  problems: readonly RequestProblem[],
  exceptions: readonly SpecException[],
): string[] {
  return problems
    .filter((problem) => !exceptions.some((exception) => matches(exception, problem)))
    .map((problem) => `${problem.method} ${problem.path} ${problem.field}: ${problem.message}`);
}

/** The exceptions no problem needs any more (stale), one line each (`METHOD path field`). */
export function unusedExceptions(
  problems: readonly RequestProblem[],
  exceptions: readonly SpecException[],
): string[] {
  return exceptions
    .filter((exception) => !problems.some((problem) => matches(exception, problem)))
    .map((exception) => `${exception.method} ${exception.path} ${exception.field}`);
}
