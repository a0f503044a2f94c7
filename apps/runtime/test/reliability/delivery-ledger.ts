/** What went wrong in a run's deliveries: counts and one line per problem. */
export interface DeliveryTally {
  lost: number;
  duplicated: number;
  reordered: number;
  problems: string[];
}

/** Adjacent pairs of `seen` out of the order of `expected` (items not expected are ignored). */
function inversions(expected: readonly string[], seen: readonly string[]): number {
  const rank = new Map(expected.map((item, index) => [item, index]));
  const ranks = seen.map((item) => rank.get(item)).filter((value): value is number => value !== undefined);
  let count = 0;
  for (let index = 1; index < ranks.length; index += 1)
    if ((ranks[index] ?? 0) < (ranks[index - 1] ?? 0)) count += 1;
  return count;
}

/**
 * Tallies exactly-once, in-order delivery: `compare` takes what one recipient should have got (in
 * order) and what it saw (in the order it saw it, repeats included).
 */
export function createDeliveryLedger() {
  const tally: DeliveryTally = { lost: 0, duplicated: 0, reordered: 0, problems: [] };
  return {
    /**
     * Counts the expected items `seen` lacks (lost), the repeats in `seen` (duplicated) and its
     * adjacent pairs out of order (reordered), with a problem line for each kind found, e.g.
     * `user-1: lost to Chatwoot: …`.
     */
    compare(subject: string, what: string, expected: readonly string[], seen: readonly string[]): void {
      const missing = expected.filter((item) => !seen.includes(item));
      tally.lost += missing.length;
      if (missing.length > 0) tally.problems.push(`${subject}: lost ${what}: ${missing.join(' | ')}`);
      const repeats = seen.length - new Set(seen).size;
      tally.duplicated += repeats;
      if (repeats > 0) tally.problems.push(`${subject}: duplicated ${what}: ${seen.join(' | ')}`);
      const outOfOrder = inversions(expected, seen);
      tally.reordered += outOfOrder;
      if (outOfOrder > 0) tally.problems.push(`${subject}: reordered ${what}: ${seen.join(' | ')}`);
    },
    /** Counts duplicates found another way (e.g. one source id posted twice), with their problem. */
    duplicated(count: number, problem: string): void {
      if (count <= 0) return;
      tally.duplicated += count;
      tally.problems.push(problem);
    },
    /** A problem that is not a count (an error, a wrong answer). */
    problem(text: string): void {
      tally.problems.push(text);
    },
    /** The tally so far (a copy). */
    tally(): DeliveryTally {
      return { ...tally, problems: [...tally.problems] };
    },
  };
}
