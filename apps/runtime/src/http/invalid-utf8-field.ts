import { randomUUID } from 'node:crypto';
import { findInJson } from './json-walk.js';

type PathSegment = string | number;

/** Where in a JSON body its first bytes that are not UTF-8 are. */
export type InvalidUtf8Location =
  | { kind: 'value'; path: PathSegment[] }
  | { kind: 'property-name'; path: PathSegment[] }
  | { kind: 'body' };

const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

const utf8Length = (codePoint: number) =>
  codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;

/**
 * The index, in the leniently decoded text, of the first U+FFFD that stands for bytes that are
 * not UTF-8 (a U+FFFD the client sent, as EF BF BD, is skipped). Everything before it decoded
 * exactly, so byte offsets follow the code points.
 */
function firstReplacementIndex(decoded: string, bytes: Uint8Array): number | undefined {
  let offset = 0;
  let index = 0;
  while (index < decoded.length) {
    const codePoint = decoded.codePointAt(index) ?? 0;
    const sentAsIs = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (codePoint === 0xfffd && !sentAsIs) return index;
    offset += utf8Length(codePoint);
    index += codePoint > 0xffff ? 2 : 1;
  }
  return undefined;
}

/**
 * Which field of a JSON body holds the bytes that are not UTF-8: the body is decoded leniently,
 * the first replacement character that stands for bad bytes is swapped for a unique marker, and
 * the parsed body is searched for it. `body` when the text around the bytes is not JSON.
 */
export function locateInvalidUtf8(bytes: Uint8Array): InvalidUtf8Location {
  const decoded = lenientDecoder.decode(bytes);
  const index = firstReplacementIndex(decoded, bytes);
  if (index === undefined) return { kind: 'body' };
  const nonce = randomUUID();
  // Written as JSON escapes: valid wherever a character of a string may stand.
  const marked = `${decoded.slice(0, index)}\\u0000${nonce}\\u0000${decoded.slice(index + 1)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(marked.startsWith('\uFEFF') ? marked.slice(1) : marked);
  } catch {
    return { kind: 'body' };
  }
  const needle = `\u0000${nonce}\u0000`;
  const found = findInJson(parsed, (text) => (text.includes(needle) ? true : undefined));
  if (found === undefined) return { kind: 'body' };
  return { kind: found.propertyName ? 'property-name' : 'value', path: found.path };
}
