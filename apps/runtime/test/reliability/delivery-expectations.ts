import { expect } from 'vitest';

/** What every reliability run must end with: no problem, nothing lost, repeated, reordered or crossed. */
export function expectEveryMessageOnceInOrderToItsUser(figures: {
  problems: string[];
  lost: number;
  duplicated: number;
  reordered: number;
  crossed: number;
}): void {
  expect(figures.problems).toEqual([]);
  expect({
    lost: figures.lost,
    duplicated: figures.duplicated,
    reordered: figures.reordered,
    crossed: figures.crossed,
  }).toEqual({ lost: 0, duplicated: 0, reordered: 0, crossed: 0 });
}
