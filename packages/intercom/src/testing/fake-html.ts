/**
 * Part bodies are HTML in API 2.14 (facts §7: "For 2.14 expect HTML (`<p>…</p>`)"). Plain text
 * becomes one escaped `<p>` per line; `display_as=plaintext` turns it back.
 */

/** Text content needs only these three escaped; quotes and apostrophes stay as typed. */
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

const escapeHtml = (text: string): string =>
  text.replace(/[&<>]/g, (character) => escapes[character] ?? character);

/** Plain text as Intercom stores it: each line a paragraph, escaped. */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

const looksLikeHtml = (text: string): boolean => /<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>/i.test(text);

/**
 * An admin's body: "Notes accept some HTML formatting" (spec), so HTML is kept (without the
 * `<html>`/`<body>` wrappers of the spec's note example); plain text is wrapped like a contact's.
 * Intercom also sanitises and reformats HTML; the fake does not.
 */
export function adminBodyToHtml(body: string): string {
  if (!looksLikeHtml(body)) return textToHtml(body);
  return body.replace(/<\/?(html|body)(\s[^>]*)?>/gi, '').trim();
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** HTML as plain text (`display_as=plaintext`): block ends and `<br>` become line breaks. */
export function htmlToPlainText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|h[1-6]|li|blockquote|pre)>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  ).replace(/\n+$/, '');
}
