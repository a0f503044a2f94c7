const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export const invalidUtf8Message = 'is not valid UTF-8';

/** `bytes` as text, or undefined when they are not valid UTF-8 (never a silent U+FFFD). */
export function decodeUtf8Strictly(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

const escapeRun = /(?:%[0-9A-Fa-f]{2})+/g;

/**
 * Percent-decodes `value` (a query parameter, a header), each run of `%XX` escapes as UTF-8;
 * undefined when a run is not valid UTF-8. A `%` that starts no escape stays as it is.
 */
export function percentDecodeStrictly(value: string): string | undefined {
  let valid = true;
  const decoded = value.replace(escapeRun, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (pair) => Number.parseInt(pair, 16));
    const text = decodeUtf8Strictly(bytes);
    if (text === undefined) valid = false;
    return text ?? '';
  });
  return valid ? decoded : undefined;
}

/**
 * A header value as the UTF-8 its bytes are: Node reads header bytes as Latin-1, so a UTF-8 name
 * sent raw arrives mangled. Undefined when the bytes are not UTF-8.
 */
export function headerValueAsUtf8(value: string): string | undefined {
  // Only characters up to U+00FF arrive in a header: each is one byte.
  return decodeUtf8Strictly(Buffer.from(value, 'latin1'));
}
