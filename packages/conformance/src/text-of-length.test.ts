import { maxMessageTextLength, textLengthIn, textLengthUnits } from '@handoff/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textOfLength } from './text-of-length.js';

describe('textOfLength', () => {
  it('makes a text of exactly the length asked, in the unit asked, within the contract, whenever one fits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...textLengthUnits),
        fc.integer({ min: 0, max: 160_000 }),
        fc.string({ maxLength: 12 }).filter((marker) => !/[\uD800-\uDFFF]/.test(marker)),
        (unit, length, marker) => {
          const text = textOfLength(marker, length, unit);
          const fits =
            textLengthIn(marker, unit) <= length &&
            (unit === 'utf8_bytes' ? length / 2 : length) <= maxMessageTextLength - marker.length;
          if (text === undefined) {
            expect(fits).toBe(false);
            return;
          }
          expect(text.startsWith(marker)).toBe(true);
          expect(textLengthIn(text, unit)).toBe(length);
          expect(text.length).toBeLessThanOrEqual(maxMessageTextLength);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses characters that count differently in other units where it can', () => {
    const text = textOfLength('x', 1_000, 'code_points') ?? '';
    expect(textLengthIn(text, 'code_points')).toBe(1_000);
    expect(textLengthIn(text, 'utf16_units')).toBeGreaterThan(1_000);
    expect(textLengthIn(text, 'utf8_bytes')).toBeGreaterThan(textLengthIn(text, 'utf16_units'));
    expect(textOfLength('x', maxMessageTextLength + 1, 'utf16_units')).toBeUndefined();
  });
});
