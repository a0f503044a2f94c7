/**
 * Support calls that do not depend on each other, made at once. Unlike `Promise.all`, it waits
 * until every one has answered or failed before it settles, so a caller that retries after a
 * failure never overlaps calls of the failed attempt that are still in flight. Resolves with the
 * values in order (`undefined` entries stand for calls not needed); rejects with the first failure
 * in order.
 */
export async function allDone<const Work extends readonly unknown[]>(
  work: Work,
): Promise<{ -readonly [Index in keyof Work]: Awaited<Work[Index]> }> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as {
    -readonly [Index in keyof Work]: Awaited<Work[Index]>;
  };
}
