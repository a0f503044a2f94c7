/** Longest text Chatwoot keeps in a conversation attribute (`JsonbAttributesLengthValidator`). */
const maxTextLength = 1_500;
/** Largest integer Chatwoot keeps in a conversation attribute. */
const maxInteger = 9_999_999_999;

/**
 * Attributes as Chatwoot keeps them on a conversation (`app/models/jsonb_attributes_length_validator.rb`
 * refuses the whole create with a 422 otherwise): text over 1,500 characters (code points, as Ruby
 * counts) is cut with an ellipsis, and an integer over 9,999,999,999 (a millisecond timestamp, say)
 * is sent as text. Nothing else changes.
 */
export function chatwootAttributes(
  attributes: Readonly<Record<string, string | number | boolean>>,
): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') {
      const characters = [...value];
      kept[key] =
        characters.length > maxTextLength ? `${characters.slice(0, maxTextLength - 1).join('')}…` : value;
    } else if (typeof value === 'number' && Number.isInteger(value) && value > maxInteger) {
      kept[key] = String(value);
    } else {
      kept[key] = value;
    }
  }
  return kept;
}
