/** How a support system counts the length of a text. */
export const textLengthUnits = ['code_points', 'utf16_units', 'utf8_bytes'] as const;

export type TextLengthUnit = (typeof textLengthUnits)[number];

/** The length of `text` as a system counting in `unit` sees it. */
export function textLengthIn(text: string, unit: TextLengthUnit): number {
  switch (unit) {
    case 'utf16_units':
      return text.length;
    case 'utf8_bytes':
      return new TextEncoder().encode(text).length;
    case 'code_points': {
      let count = 0;
      for (const _ of text) count += 1;
      return count;
    }
  }
}
