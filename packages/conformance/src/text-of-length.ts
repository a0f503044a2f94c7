import { maxMessageTextLength, type TextLengthUnit, textLengthIn } from '@handoff/core';

/**
 * A text exactly `length` long in `unit`, starting with `marker`, with characters that count
 * differently in other units where it can (é, 😀), within the contract's own limit; undefined when
 * no such text fits the contract.
 */
export function textOfLength(marker: string, length: number, unit: TextLengthUnit): string | undefined {
  const room = length - textLengthIn(marker, unit);
  if (room < 0) return undefined;
  // 'é' is 1 code point, 1 UTF-16 unit and 2 bytes; '😀' is 1, 2 and 4.
  const fill = (left: number) =>
    unit === 'utf8_bytes' ? 'é'.repeat(Math.floor(left / 2)) + 'a'.repeat(left % 2) : 'é'.repeat(left);
  const emoji = '😀';
  const candidates = [
    room >= textLengthIn(emoji, unit) ? marker + emoji + fill(room - textLengthIn(emoji, unit)) : undefined,
    marker + fill(room),
  ];
  return candidates.find(
    (text) =>
      text !== undefined && text.length <= maxMessageTextLength && textLengthIn(text, unit) === length,
  );
}
