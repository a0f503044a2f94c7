/**
 * Errors are recognised by a registered symbol rather than by `instanceof`, so a type guard still
 * works when an application ends up with two copies of `@handoff/core` (for example one bundled in
 * an adapter and one in the host).
 */
export function errorBrand(name: string): symbol {
  return Symbol.for(`@handoff/core/${name}`);
}

export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
