import type { ContactProblem } from './fake-contact-validation.js';

/** The humanised attribute names Rails prefixes full messages with. */
const labels: Record<string, string> = {
  additional_attributes: 'Additional attributes',
  custom_attributes: 'Custom attributes',
};

/**
 * `JsonbAttributesLengthValidator` (`app/models/jsonb_attributes_length_validator.rb`), which
 * conversations use for both attribute hashes (contacts have none): a top-level String longer than
 * 1,500 characters (code points), or an Integer above 9,999,999,999, is refused; floats, booleans
 * and nested values are not checked.
 */
export function jsonbAttributeProblems(attribute: string, value: Record<string, unknown>): ContactProblem[] {
  const label = labels[attribute] ?? attribute;
  const problems: ContactProblem[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' && [...item].length > 1500)
      problems.push({ attribute, message: `${label} ${key} length should be < 1500` });
    if (typeof item === 'number' && Number.isInteger(item) && item > 9_999_999_999)
      problems.push({ attribute, message: `${label} ${key} value should be < 9999999999` });
  }
  return problems;
}
