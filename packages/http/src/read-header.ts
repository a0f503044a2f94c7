/** Headers as Node, Fastify or undici hand them over. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The first value of header `name`, matched case-insensitively. */
export function readHeader(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value[0];
  }
  return undefined;
}
